// The people's view of a metrics report: one row per pair plus the means, then the set metrics, the diversity
// clusters, unavailable metrics (with the options that provide them) and a random-weights warning. Built from the
// report alone, so a saved --json-out file prints the same table (`my3dgen metrics --show file.json`).
using System.Globalization;
using My3DGen.Models.Metrics;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

internal static class MetricsTable
{
    static readonly Dictionary<string, string> Titles = new()
    {
        [MetricNames.LpipsAlex] = "LPIPS-alex", [MetricNames.LpipsVgg] = "LPIPS-vgg", [MetricNames.Dists] = "DISTS",
        [MetricNames.Psnr] = "PSNR (dB)", [MetricNames.Ssim] = "SSIM", [MetricNames.IdSimilarity] = "ID sim",
    };

    /// <summary>Header and rows of the pair table (empty when the report has no pairs).</summary>
    public static (string[] Header, List<string[]> Rows) Pairs(MetricsReport r)
    {
        var cols = MetricNames.Pairwise.Where(m => r.Pairs.Any(p => p.Values.ContainsKey(m))).ToList();
        var header = new[] { "a", "b" }.Concat(cols.Select(c => Titles[c])).ToArray();
        var rows = r.Pairs.Select(p => new[] { p.A, p.BResizedFrom == null ? p.B : $"{p.B} (resized from {p.BResizedFrom})" }
            .Concat(cols.Select(c => p.Values.TryGetValue(c, out var v) ? Format(c, v) : "-")).ToArray()).ToList();
        var mean = r.Mean();
        if (rows.Count > 1) rows.Add(new[] { "mean", $"{r.Pairs.Count} pairs" }.Concat(cols.Select(c => mean.TryGetValue(c, out var v) ? Format(c, v) : "-")).ToArray());
        return (header, rows);
    }

    /// <summary>The lines after the pair table: set metrics, clusters, unavailable metrics, random-weights warning.</summary>
    public static List<string> Notes(MetricsReport r)
    {
        var lines = new List<string>();
        if (r.IdSim is double s) lines.Add($"ID_sim (formula (2), ArcFace {r.IdPreprocess ?? "my3dgen"} preprocessing): {Format(MetricNames.IdSim, s)}");
        else if (r.IdPreprocess != null && r.Pairs.Count > 0) lines.Add($"ID sim: ArcFace cosine with {r.IdPreprocess} preprocessing (ID error = 1 − ID sim)");
        if (r.Diversity is { } d)
        {
            lines.Add($"diversity (mean intra-cluster LPIPS-vgg): {Format(MetricNames.Diversity, d.Score)} ± {Format(MetricNames.Diversity, d.Std)} (std over clusters)");
            foreach (var c in d.Clusters) lines.Add($"  cluster {c.Train}: {c.Size} generated, mean pairwise LPIPS {Format(MetricNames.Diversity, c.MeanLpips)}");
        }
        foreach (var (m, why) in r.Unavailable) lines.Add($"{m}: unavailable ({why})");
        if (r.RandomWeights.Count > 0) lines.Add($"RANDOM WEIGHTS (numbers are not meaningful): {string.Join(", ", r.RandomWeights)}");
        return lines;
    }

    /// <summary>Prints the report: a Spectre table on a terminal, plain padded columns otherwise.</summary>
    public static void Print(CliOutput o, MetricsReport r)
    {
        if (r.RandomWeights.Count > 0) o.Line("RANDOM WEIGHTS: the metrics below use random networks, not the released weights");
        var (header, rows) = Pairs(r);
        if (rows.Count > 0)
        {
            if (o.Live)
            {
                var t = new Table().Border(TableBorder.Rounded).Title(r.RandomWeights.Count > 0 ? "metrics [red](random weights)[/]" : "metrics");
                foreach (var h in header) t.AddColumn(Markup.Escape(h));
                foreach (var row in rows) t.AddRow(row.Select(Markup.Escape).ToArray());
                AnsiConsole.Write(t);
            }
            else o.Table(header, rows);
        }
        foreach (var line in Notes(r)) o.Line(line);
    }

    static string Format(string metric, double v) =>
        double.IsNaN(v) ? "n/a" : double.IsPositiveInfinity(v) ? "inf" : v.ToString(metric == MetricNames.Psnr ? "F2" : "F4", CultureInfo.InvariantCulture);
}
