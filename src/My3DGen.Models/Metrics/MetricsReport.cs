// Everything one metrics run measured, and its JSON form: {"pairs": [{"a","b","lpips_alex",...}], "mean": {...},
// "id_sim", "diversity", "unavailable": {metric: reason}} plus the diversity clusters, the ArcFace preprocessing and
// the metrics computed with random weights. Keys are absent when not computed; +∞ PSNR is written as the string "inf".
using System.Globalization;
using System.Text.Json.Nodes;

namespace My3DGen.Models.Metrics;

/// <summary>The metrics of one (a, b) pair; a metric absent from <see cref="Values"/> was not computed.</summary>
/// <param name="A">Name of the first image.</param>
/// <param name="B">Name of the second image.</param>
/// <param name="Values">Metric name (<see cref="MetricNames"/>) → value.</param>
/// <param name="BResizedFrom">"WxH" of b when it was resized to a's size, else null.</param>
public sealed record PairMetrics(string A, string B, IReadOnlyDictionary<string, double> Values, string? BResizedFrom = null);

/// <summary>The result of a metrics run.</summary>
public sealed record MetricsReport
{
    /// <summary>Per-pair metrics (pairwise mode).</summary>
    public IReadOnlyList<PairMetrics> Pairs { get; init; } = [];
    /// <summary>ID_sim (formula (2)), when computed.</summary>
    public double? IdSim { get; init; }
    /// <summary>Diversity, when computed.</summary>
    public DiversityResult? Diversity { get; init; }
    /// <summary>Metric → why it was not computed.</summary>
    public IReadOnlyDictionary<string, string> Unavailable { get; init; } = new Dictionary<string, string>();
    /// <summary>Metrics computed with random weights (not meaningful).</summary>
    public IReadOnlyList<string> RandomWeights { get; init; } = [];
    /// <summary>The ArcFace preprocessing used ("my3dgen" or "psp"), when ArcFace ran.</summary>
    public string? IdPreprocess { get; init; }

    /// <summary>Mean over pairs of each pairwise metric that was computed.</summary>
    public IReadOnlyDictionary<string, double> Mean() =>
        MetricNames.Pairwise.Where(m => Pairs.Count > 0 && Pairs.All(p => p.Values.ContainsKey(m)))
            .ToDictionary(m => m, m => Pairs.Average(p => p.Values[m]));

    /// <summary>The JSON form.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Pairs.Count > 0)
        {
            o["pairs"] = new JsonArray(Pairs.Select(p =>
            {
                var j = new JsonObject { ["a"] = p.A, ["b"] = p.B };
                foreach (var m in MetricNames.Pairwise) if (p.Values.TryGetValue(m, out var v)) j[m] = Number(v);
                if (p.BResizedFrom != null) j["b_resized_from"] = p.BResizedFrom;
                return (JsonNode)j;
            }).ToArray());
            var mean = new JsonObject();
            foreach (var (m, v) in Mean()) mean[m] = Number(v);
            o["mean"] = mean;
        }
        if (IdSim is double s) o["id_sim"] = Number(s);
        if (Diversity is { } d)
        {
            o["diversity"] = Number(d.Score);
            o["diversity_std"] = Number(d.Std);
            o["clusters"] = new JsonArray(d.Clusters.Select(c => (JsonNode)new JsonObject { ["train"] = c.Train, ["size"] = c.Size, ["mean_lpips"] = Number(c.MeanLpips) }).ToArray());
        }
        if (IdPreprocess != null) o["id_preprocess"] = IdPreprocess;
        if (Unavailable.Count > 0) { var u = new JsonObject(); foreach (var (k, v) in Unavailable) u[k] = v; o["unavailable"] = u; }
        if (RandomWeights.Count > 0) o["random_weights"] = new JsonArray(RandomWeights.Select(r => (JsonNode)r!).ToArray());
        return o;
    }

    /// <summary>Reads the JSON form back (<see cref="ToJson"/>'s layout).</summary>
    /// <exception cref="FormatException">Not that layout.</exception>
    public static MetricsReport FromJson(JsonNode node)
    {
        try
        {
            var o = node.AsObject();
            var pairs = o["pairs"]?.AsArray().Select(p => new PairMetrics(p!["a"]!.GetValue<string>(), p["b"]!.GetValue<string>(),
                MetricNames.Pairwise.Where(m => p[m] != null).ToDictionary(m => m, m => Read(p[m]!)), p["b_resized_from"]?.GetValue<string>())).ToList() ?? [];
            DiversityResult? div = o.ContainsKey("diversity")
                ? new DiversityResult(Read(o["diversity"]), Read(o["diversity_std"]),
                    o["clusters"]?.AsArray().Select(c => new DiversityCluster(c!["train"]!.GetValue<string>(), c["size"]!.GetValue<int>(), Read(c["mean_lpips"]))).ToList() ?? [])
                : null;
            return new MetricsReport
            {
                Pairs = pairs, Diversity = div, IdSim = o["id_sim"] is { } id ? Read(id) : null,
                IdPreprocess = o["id_preprocess"]?.GetValue<string>(),
                Unavailable = o["unavailable"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) ?? new Dictionary<string, string>(),
                RandomWeights = o["random_weights"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [],
            };
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or KeyNotFoundException or FormatException)
        { throw new FormatException("not a my3dgen metrics JSON: " + e.Message, e); }
    }

    static JsonNode? Number(double v) => double.IsPositiveInfinity(v) ? "inf" : double.IsNaN(v) ? null : JsonValue.Create(v);

    static double Read(JsonNode? n) => n == null ? double.NaN : n.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? (n.GetValue<string>() == "inf" ? double.PositiveInfinity : double.Parse(n.GetValue<string>(), CultureInfo.InvariantCulture))
        : n.GetValue<double>();
}
