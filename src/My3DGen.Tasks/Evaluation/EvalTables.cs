// The evaluation's tables as files (Figs. 3-6, Table 1): eval.md (every table with its caption, the notes, links to the figures), one CSV per
// table (invariant culture, empty cell = not computed, a random_weights column naming the networks that had random
// weights) and eval.json for scripts. Written atomically.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using My3DGen.Engine.IO;
using My3DGen.Models.Api;

namespace My3DGen.Tasks.Evaluation;

/// <summary>Writes the evaluation tables.</summary>
public static class EvalTables
{
    /// <summary>The file names of the tables and figures.</summary>
    public const string Markdown = "eval.md", Json = "eval.json", Fig3Csv = "fig3_inversion.csv", Fig4Csv = "fig4_interpolation_id_sim.csv",
        Fig5Csv = "fig5_synthesis.csv", Fig6Csv = "fig6_restoration.csv", Fig6Png = "fig6_restoration.png", Table1Csv = "table1_rank_sweep.csv", Fig3Png = "fig3_inversion.png", Fig4Png = "fig4_interpolation.png",
        Fig4PlotPng = "fig4_interpolation_id_sim.png", Fig5Png = "fig5_synthesis.png", Table1Png = "table1_rank_sweep.png";

    /// <summary>One table: its caption, header and rows of cells (numbers formatted invariantly; empty = not computed; the last
    /// column names the networks with random weights).</summary>
    /// <param name="Caption">What the table shows (names the paper's figure or table).</param>
    /// <param name="Header">Column names.</param>
    /// <param name="Rows">Cells, one array per row.</param>
    public sealed record Table(string Caption, string[] Header, List<string[]> Rows);

    /// <summary>Writes the CSV files, eval.md (linking <paramref name="figures"/>) and eval.json for <paramref name="report"/>; returns their paths.</summary>
    public static List<string> Write(string dir, EvalReport report, IReadOnlyList<string> figures)
    {
        var files = new List<string>();
        void Text(string name, string text)
        {
            string path = Path.Combine(dir, name);
            OutputFileException.Guard(path, () => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text)));
            files.Add(path);
        }
        var tables = Tables(report);
        foreach (var (file, table) in tables) Text(file, Csv(table));
        var md = new StringBuilder("# Evaluation\n\n");
        foreach (var note in report.Notes) md.Append("- ").Append(note).Append('\n');
        foreach (var (file, table) in tables)
        {
            md.Append("\n## ").Append(table.Caption).Append("\n\n");
            md.Append("| ").Append(string.Join(" | ", table.Header)).Append(" |\n|").Append(string.Concat(table.Header.Select(_ => "---|"))).Append('\n');
            foreach (var row in table.Rows) md.Append("| ").Append(string.Join(" | ", row.Select(c => c.Length == 0 ? "n/a" : c))).Append(" |\n");
            md.Append("\n(").Append(file).Append(')').Append('\n');
        }
        md.Append("\n## Figures\n\n");
        foreach (var png in figures.Select(Path.GetFileName))
            md.Append("![").Append(Path.GetFileNameWithoutExtension(png)).Append("](").Append(png).Append(")\n");
        md.Append(FormattableString.Invariant($"\nEvaluated in {report.Elapsed.TotalSeconds:0} s.\n"));
        Text(Markdown, md.ToString());
        Text(Json, ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return files;
    }

    /// <summary>The tables of a report, keyed by CSV file name, in document order.</summary>
    public static List<(string File, Table Table)> Tables(EvalReport r)
    {
        string random = string.Join(";", r.RandomWeights);
        var list = new List<(string, Table)>();
        if (r.Models.Any(m => m.Inversion != null))
            list.Add((Fig3Csv, new Table("Fig. 3: inversion (PTI) of held-out photos, reconstruction vs photo (means over photos)",
                ["model", "adapter", "photos", "lpips_alex", "dists", "id_similarity", "psnr_db", "lpips_alex_projection_only", "random_weights"],
                r.Models.Where(m => m.Inversion != null).Select(m => new[] { m.Model.Label, m.Adapter.Describe(), I(m.Inversion!.Photos), N(m.Inversion.LpipsAlex),
                    N(m.Inversion.Dists), N(m.Inversion.IdSimilarity), N(m.Inversion.Psnr), N(m.Inversion.LpipsProjectionOnly), random }).ToList())));
        var interp = r.Models.Where(m => m.Interpolation != null).ToList();
        if (interp.Count > 0)
        {
            var thetas = interp[0].Interpolation!.Thetas;
            list.Add((Fig4Csv, new Table($"Fig. 4: ID_sim per θ along the interpolation (mean over {interp[0].Interpolation!.Pairs} anchor pair(s) and the views)",
                ["theta", .. interp.Select(m => m.Model.Label), "random_weights"],
                thetas.Select((t, i) => new[] { N(t) }.Concat(interp.Select(m => N(m.Interpolation!.IdSim[i]))).Append(random).ToArray()).ToList())));
        }
        list.Add((Fig5Csv, new Table("Fig. 5: synthesis in P0, ID_sim (formula (2)) and diversity (mean intra-cluster LPIPS-vgg)",
            ["model", "adapter", "images", "id_sim", "diversity", "diversity_std", "clusters_with_2plus", "clusters", "random_weights"],
            r.Models.Select(m => new[] { m.Model.Label, m.Adapter.Describe(), I(m.Synthesis.Images), N(m.Synthesis.IdSim), N(m.Synthesis.Diversity),
                N(m.Synthesis.DiversityStd), I(m.Synthesis.Clusters), I(m.Synthesis.ClusterCount), random }).ToList())));
        if (r.Models.Any(m => m.Restoration != null))
            list.Add((Fig6Csv, new Table("Fig. 6: inpainting and super-resolution from the person's alpha+ space, restoration vs the undegraded photo (means over photos)",
                ["model", "adapter", "photos", "inpainting_id_similarity", "inpainting_lpips_alex_hole", "superres_id_similarity", "superres_lpips_alex",
                 "superres_downsampled_mse", "random_weights"],
                r.Models.Where(m => m.Restoration != null).Select(m => new[] { m.Model.Label, m.Adapter.Describe(), I(m.Restoration!.Photos),
                    N(m.Restoration.InpaintingIdSimilarity), N(m.Restoration.InpaintingLpipsHole), N(m.Restoration.SuperResolutionIdSimilarity),
                    N(m.Restoration.SuperResolutionLpips), N(m.Restoration.SuperResolutionMse, "0.000000"), random }).ToList())));
        list.Add((Table1Csv, new Table("Table 1: adapter size against the scores (rank sweep)",
            ["model", "mode", "rank", "stored_values", "adapter_kib", "inversion_lpips_alex", "inversion_dists", "inversion_id_similarity",
             "interpolation_id_sim", "synthesis_id_sim", "diversity", "inpainting_id_similarity", "superres_id_similarity", "random_weights"],
            r.Models.Select(m => new[] { m.Model.Label, m.Adapter.Mode, m.Adapter.Rank is int k ? I(k) : "", I(m.Adapter.TrainedValues),
                N(m.Adapter.FileBytes / 1024.0, "0.0"), N(m.Inversion?.LpipsAlex), N(m.Inversion?.Dists), N(m.Inversion?.IdSimilarity),
                N(m.Interpolation?.Mean), N(m.Synthesis.IdSim), N(m.Synthesis.Diversity), N(m.Restoration?.InpaintingIdSimilarity),
                N(m.Restoration?.SuperResolutionIdSimilarity), random }).ToList())));
        return list;
    }

    static string Csv(Table t)
    {
        var sb = new StringBuilder();
        foreach (var row in t.Rows.Prepend(t.Header)) sb.Append(string.Join(",", row.Select(Quote))).Append('\n');
        return sb.ToString();
    }

    static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    static string N(double? v, string format = "0.0000") => v is double d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "";
    static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The report for scripts (eval.json): notes, random-weight metrics and every model's numbers (null = not computed).</summary>
    public static JsonObject ToJson(EvalReport r)
    {
        static JsonNode? D(double? v) => v is double d && double.IsFinite(d) ? JsonValue.Create(d) : null;
        return new JsonObject
        {
            ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)n!).ToArray()),
            ["randomWeights"] = new JsonArray(r.RandomWeights.Select(n => (JsonNode)n!).ToArray()),
            ["seconds"] = r.Elapsed.TotalSeconds,
            ["models"] = new JsonArray(r.Models.Select(m => (JsonNode)new JsonObject
            {
                ["label"] = m.Model.Label, ["adapter"] = m.Model.AdapterPath, ["mode"] = m.Adapter.Mode, ["rank"] = m.Adapter.Rank,
                ["storedValues"] = m.Adapter.TrainedValues, ["adapterBytes"] = m.Adapter.FileBytes,
                ["inversion"] = m.Inversion is { } i ? new JsonObject
                {
                    ["photos"] = i.Photos, ["lpipsAlex"] = D(i.LpipsAlex), ["dists"] = D(i.Dists), ["idSimilarity"] = D(i.IdSimilarity),
                    ["psnr"] = D(i.Psnr), ["lpipsAlexProjectionOnly"] = D(i.LpipsProjectionOnly),
                } : null,
                ["interpolation"] = m.Interpolation is { } p ? new JsonObject
                {
                    ["pairs"] = p.Pairs, ["thetas"] = new JsonArray(p.Thetas.Select(t => (JsonNode)t!).ToArray()),
                    ["idSim"] = new JsonArray(p.IdSim.Select(v => D(v)).ToArray()), ["meanIdSim"] = D(p.Mean),
                } : null,
                ["restoration"] = m.Restoration is { } x ? new JsonObject
                {
                    ["photos"] = x.Photos, ["inpaintingIdSimilarity"] = D(x.InpaintingIdSimilarity), ["inpaintingLpipsAlexHole"] = D(x.InpaintingLpipsHole),
                    ["superresIdSimilarity"] = D(x.SuperResolutionIdSimilarity), ["superresLpipsAlex"] = D(x.SuperResolutionLpips), ["superresDownsampledMse"] = D(x.SuperResolutionMse),
                } : null,
                ["synthesis"] = new JsonObject
                {
                    ["images"] = m.Synthesis.Images, ["idSim"] = D(m.Synthesis.IdSim), ["diversity"] = D(m.Synthesis.Diversity),
                    ["diversityStd"] = D(m.Synthesis.DiversityStd), ["clustersWith2Plus"] = m.Synthesis.Clusters, ["clusters"] = m.Synthesis.ClusterCount,
                },
            }).ToArray()),
        };
    }
}
