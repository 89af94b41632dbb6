// What `my3dgen metrics` does once its options are parsed: checks the mode's inputs, reads the images, opens the
// networks on the chosen device, runs the MetricsService calls with a progress display and writes --json-out atomically.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Models.Api;
using My3DGen.Models.Identity;
using My3DGen.Models.Metrics;

namespace My3DGen.Cli.Commands;

internal static class MetricsRun
{
    /// <summary>The parsed command line.</summary>
    public sealed record Request(string? A, string? B, bool IdSim, bool Diversity, string? Generated, string? Reference, string? Train,
        ArcFacePreprocess IdMode, int Batch, string? JsonOut, string? Device, int DiversitySize = 256)
    {
        public MetricWeights Weights { get; init; } = new();
    }

    public static MetricsReport Run(CliSession s, Request r)
    {
        bool pairwise = r.A != null || r.B != null;
        if (pairwise && (r.A == null || r.B == null)) throw new UsageException("pairwise mode needs both --a and --b");
        if (!pairwise && !r.IdSim && !r.Diversity) throw new UsageException("give --a and --b (pairwise), --id-sim or --diversity (or --show a saved JSON)");
        if ((r.IdSim || r.Diversity) && r.Generated == null) throw new UsageException("--id-sim and --diversity need --generated");
        if (r.IdSim && r.Reference == null) throw new UsageException("--id-sim needs --reference");
        if (r.Diversity && r.Train == null) throw new UsageException("--diversity needs --train");
        if (r.JsonOut != null) OutputPaths.PrepareFile(r.JsonOut);
        var wanted = new HashSet<string>(pairwise ? MetricNames.Pairwise : []);
        if (r.IdSim) wanted.Add(MetricNames.IdSim);
        if (r.Diversity) wanted.Add(MetricNames.Diversity);
        var pairs = pairwise ? MetricsService.Match(MetricImages.Read(r.A!), MetricImages.Read(r.B!), r.A!, r.B!) : [];
        var gen = r.Generated != null ? MetricImages.Read(r.Generated) : [];
        var refs = r.IdSim ? MetricImages.Read(r.Reference!) : [];
        var train = r.Diversity ? MetricImages.Read(r.Train!) : [];
        using var nets = MetricNetworks.Open(r.Weights, DeviceSelector.Create(r.Device), wanted);
        var o = s.Output;
        var report = ProgressDisplay.Run(o, d =>
        {
            var progress = new ProgressDisplay.Sync<MetricsProgress>(p => d.Update(p.Stage, p.Done, p.Total, $"{p.Done}/{p.Total}"));
            var rep = pairwise ? MetricsService.Pairwise(nets, pairs, r.IdMode, r.Batch, progress, s.Cancel)
                : new MetricsReport { Unavailable = nets.Unavailable, RandomWeights = nets.RandomWeights.ToList() };
            if (r.IdSim && nets.ArcFace != null)
                rep = rep with { IdSim = MetricsService.IdSim(nets.ArcFace, gen, refs, r.IdMode, r.Batch, progress, s.Cancel).Score, IdPreprocess = MetricsService.Name(r.IdMode) };
            if (r.Diversity && nets.LpipsVgg != null)
                rep = rep with { Diversity = DiversityMetric.Compute(nets.LpipsVgg, gen, train, r.DiversitySize, r.Batch,
                    progress: new ProgressDisplay.Sync<(int Done, int Total)>(p => d.Update("diversity", p.Done, p.Total, $"{p.Done}/{p.Total} images")), cancel: s.Cancel) };
            return rep;
        });
        if (r.JsonOut != null)
        {
            var bytes = Encoding.UTF8.GetBytes(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllBytes(r.JsonOut, bytes);
        }
        return report;
    }

    /// <summary>A report saved by --json-out.</summary>
    public static MetricsReport ReadJson(string path)
    {
        try { return MetricsReport.FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException("empty")); }
        catch (Exception e) when (e is JsonException or FormatException) { throw new FileFormatException(path, "not a metrics JSON written by --json-out: " + e.Message.Split('\n')[0], inner: e); }
    }

    /// <summary>The --json result: the report plus "ok".</summary>
    public static JsonObject Result(MetricsReport report)
    {
        var j = report.ToJson();
        j["ok"] = true;
        return j;
    }
}
