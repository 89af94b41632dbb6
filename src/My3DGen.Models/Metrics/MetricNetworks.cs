// The metric networks of one run, opened from converted safetensors files (or hash-random weights when asked):
// LPIPS-alex, LPIPS-vgg, DISTS and ArcFace. A network whose files were not given is unavailable, with the options
// that provide it; random-weight networks are listed so every output can say so.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Models.Identity;
using My3DGen.Models.Perceptual;

namespace My3DGen.Models.Metrics;

/// <summary>Weight files (converted safetensors) for the metric networks; null = not given.</summary>
public sealed record MetricWeights
{
    /// <summary>Converted model_ir_se50.pth (ArcFace).</summary>
    public string? ArcFace { get; init; }
    /// <summary>Converted torchvision vgg16 .pth (LPIPS-vgg and DISTS backbone).</summary>
    public string? Vgg { get; init; }
    /// <summary>Converted torchvision alexnet .pth (LPIPS-alex backbone).</summary>
    public string? AlexNet { get; init; }
    /// <summary>Converted dists-pytorch weights.pt (alpha, beta).</summary>
    public string? Dists { get; init; }
    /// <summary>Converted LPIPS lin files (alex.pth and/or vgg.pth); which is which is read from their shapes.</summary>
    public IReadOnlyList<string> LpipsLin { get; init; } = [];
    /// <summary>When set, networks without files get hash-random weights of this seed (tests, demos; results not meaningful).</summary>
    public int? RandomSeed { get; init; }
}

/// <summary>Metric names as they appear in reports.</summary>
public static class MetricNames
{
    /// <summary>LPIPS with AlexNet.</summary>
    public const string LpipsAlex = "lpips_alex";
    /// <summary>LPIPS with VGG16.</summary>
    public const string LpipsVgg = "lpips_vgg";
    /// <summary>DISTS.</summary>
    public const string Dists = "dists";
    /// <summary>PSNR (dB).</summary>
    public const string Psnr = "psnr";
    /// <summary>SSIM.</summary>
    public const string Ssim = "ssim";
    /// <summary>ArcFace cosine similarity of a pair.</summary>
    public const string IdSimilarity = "id_similarity";
    /// <summary>Formula (2) over sets.</summary>
    public const string IdSim = "id_sim";
    /// <summary>Ojha diversity.</summary>
    public const string Diversity = "diversity";
    /// <summary>Pairwise metrics in table order.</summary>
    public static IReadOnlyList<string> Pairwise { get; } = [LpipsAlex, LpipsVgg, Dists, Psnr, Ssim, IdSimilarity];
}

/// <summary>The opened networks; dispose to release them.</summary>
public sealed class MetricNetworks : IDisposable
{
    /// <summary>LPIPS-alex, or null when unavailable.</summary>
    public Lpips? LpipsAlex { get; private set; }
    /// <summary>LPIPS-vgg, or null when unavailable.</summary>
    public Lpips? LpipsVgg { get; private set; }
    /// <summary>DISTS, or null when unavailable.</summary>
    public Dists? Dists { get; private set; }
    /// <summary>ArcFace IR-SE50, or null when unavailable.</summary>
    public ArcFaceIrSe50? ArcFace { get; private set; }
    /// <summary>Metric → why it is unavailable (naming the options that provide it).</summary>
    public Dictionary<string, string> Unavailable { get; } = new();
    /// <summary>Metrics computed with random weights.</summary>
    public SortedSet<string> RandomWeights { get; } = new(StringComparer.Ordinal);

    /// <summary>Opens the networks for <paramref name="wanted"/> metrics (see <see cref="MetricNames"/>).</summary>
    public static MetricNetworks Open(MetricWeights w, IBackend backend, IReadOnlySet<string> wanted)
    {
        var n = new MetricNetworks();
        try
        {
            string? linAlex = null, linVgg = null;
            foreach (var f in w.LpipsLin)
            {
                using var st = SafeTensorsFile.Open(f);
                int c1 = st.Contains("lin1.model.1.weight") ? st.Info("lin1.model.1.weight").Shape[1] : 0;
                if (c1 == 192) linAlex = f; else if (c1 == 128) linVgg = f;
                else throw new FileFormatException(f, "not a converted LPIPS lin file (expected lin1.model.1.weight with 192 (alex) or 128 (vgg) channels)");
            }
            int? seed = w.RandomSeed;
            if (wanted.Contains(MetricNames.LpipsAlex))
                n.LpipsAlex = w.AlexNet != null && linAlex != null ? Lpips.Load(LpipsNet.Alex, w.AlexNet, linAlex, backend)
                    : seed is int s ? n.Random(MetricNames.LpipsAlex, Lpips.CreateRandom(LpipsNet.Alex, s, backend))
                    : n.Missing<Lpips>(MetricNames.LpipsAlex, "--alexnet (converted torchvision alexnet .pth) and --lpips-lin (converted LPIPS alex.pth)");
            if (wanted.Contains(MetricNames.LpipsVgg) || wanted.Contains(MetricNames.Diversity))
            {
                string metric = wanted.Contains(MetricNames.LpipsVgg) ? MetricNames.LpipsVgg : MetricNames.Diversity;
                n.LpipsVgg = w.Vgg != null && linVgg != null ? Lpips.Load(LpipsNet.Vgg, w.Vgg, linVgg, backend)
                    : seed is int s ? n.Random(metric, Lpips.CreateRandom(LpipsNet.Vgg, s, backend))
                    : n.Missing<Lpips>(metric, "--vgg (converted torchvision vgg16 .pth) and --lpips-lin (converted LPIPS vgg.pth)");
                if (n.LpipsVgg != null && n.LpipsVgg.IsRandom && metric == MetricNames.LpipsVgg && wanted.Contains(MetricNames.Diversity)) n.RandomWeights.Add(MetricNames.Diversity);
            }
            if (wanted.Contains(MetricNames.Dists))
                n.Dists = w.Vgg != null && w.Dists != null ? Perceptual.Dists.Load(w.Vgg, w.Dists, backend)
                    : seed is int s ? n.Random(MetricNames.Dists, Perceptual.Dists.CreateRandom(s, backend))
                    : n.Missing<Dists>(MetricNames.Dists, "--vgg (converted torchvision vgg16 .pth) and --dists (converted dists-pytorch weights.pt)");
            if (wanted.Contains(MetricNames.IdSimilarity) || wanted.Contains(MetricNames.IdSim))
            {
                string metric = wanted.Contains(MetricNames.IdSim) ? MetricNames.IdSim : MetricNames.IdSimilarity;
                n.ArcFace = w.ArcFace != null ? ArcFaceIrSe50.Load(w.ArcFace, backend)
                    : seed is int s ? n.Random(metric, ArcFaceIrSe50.CreateRandom(s, backend))
                    : n.Missing<ArcFaceIrSe50>(metric, "--arcface (converted model_ir_se50.pth)");
            }
            return n;
        }
        catch { n.Dispose(); throw; }
    }

    T Random<T>(string metric, T net) { RandomWeights.Add(metric); return net; }
    T? Missing<T>(string metric, string options) where T : class { Unavailable[metric] = "needs " + options; return null; }

    /// <summary>Releases the networks.</summary>
    public void Dispose() { LpipsAlex?.Dispose(); LpipsVgg?.Dispose(); Dists?.Dispose(); ArcFace?.Dispose(); }
}
