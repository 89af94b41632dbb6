// The library entry points of `my3dgen metrics`: pairwise metrics of two image sets matched by file name, formula (2)
// ID_sim of a generated set against references, and the diversity score, batched on one backend without autograd,
// with progress and cancellation. A pair of different sizes compares b resized to a's size (bicubic, uint8).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Identity;
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Metrics;

/// <summary>Progress of a metrics run: <paramref name="Done"/> of <paramref name="Total"/> items of <paramref name="Stage"/>.</summary>
public sealed record MetricsProgress(string Stage, int Done, int Total);

/// <summary>Computes the paper's metrics on image files.</summary>
public static class MetricsService
{
    /// <summary>Smallest image side the perceptual networks accept.</summary>
    public const int MinSide = 32;

    /// <summary>Pairs a and b: two single files pair with each other; otherwise images pair by identical file name.</summary>
    /// <exception cref="FileFormatException">No file name in common.</exception>
    public static IReadOnlyList<(NamedImage A, NamedImage B)> Match(IReadOnlyList<NamedImage> a, IReadOnlyList<NamedImage> b, string aPath, string bPath)
    {
        if (a.Count == 1 && b.Count == 1 && !Directory.Exists(aPath) && !Directory.Exists(bPath)) return [(a[0], b[0])];
        var byName = b.ToDictionary(x => x.Name, StringComparer.Ordinal);
        var pairs = a.Where(x => byName.ContainsKey(x.Name)).Select(x => (x, byName[x.Name])).ToList();
        if (pairs.Count == 0) throw new FileFormatException(bPath, $"no image file name in common with {aPath}");
        return pairs;
    }

    /// <summary>Every available pairwise metric of each pair, in batches of <paramref name="batch"/> pairs of equal size.</summary>
    public static MetricsReport Pairwise(MetricNetworks nets, IReadOnlyList<(NamedImage A, NamedImage B)> pairs, ArcFacePreprocess idMode = ArcFacePreprocess.My3DGen,
        int batch = 8, IProgress<MetricsProgress>? progress = null, CancellationToken cancel = default)
    {
        foreach (var (a, _) in pairs)
            if (a.Image.Width < MinSide || a.Image.Height < MinSide) throw new FileFormatException(a.Path ?? a.Name, $"image is {a.Image.Width}x{a.Image.Height}; the metrics need at least {MinSide}x{MinSide}");
        var prepared = pairs.Select(p => (p.A, B: p.B.Image.Width == p.A.Image.Width && p.B.Image.Height == p.A.Image.Height ? p.B.Image : p.B.Image.Resized(p.A.Image.Width, p.A.Image.Height),
            Resized: p.B.Image.Width == p.A.Image.Width && p.B.Image.Height == p.A.Image.Height ? null : $"{p.B.Image.Width}x{p.B.Image.Height}", BName: p.B.Name)).ToList();
        var values = prepared.Select(_ => new Dictionary<string, double>()).ToArray();
        var be = Backend(nets);
        int done = 0;
        using (GradMode.NoGrad())
            foreach (var group in Enumerable.Range(0, prepared.Count).GroupBy(i => (prepared[i].A.Image.Width, prepared[i].A.Image.Height)))
                foreach (var chunk in group.Chunk(batch))
                {
                    cancel.ThrowIfCancellationRequested();
                    using var scope = TensorScope.Begin();
                    var xa = chunk.Select(i => prepared[i].A.Image).ToList(); var xb = chunk.Select(i => prepared[i].B).ToList();
                    void Put(string metric, Tensor t) { var v = t.ToArray(); for (int k = 0; k < chunk.Length; k++) values[chunk[k]][metric] = v[k]; }
                    if (nets.LpipsAlex != null || nets.LpipsVgg != null || nets.ArcFace != null)
                    {
                        var a1 = MetricImages.ToTensor(be!, xa, -1f, 1f); var b1 = MetricImages.ToTensor(be!, xb, -1f, 1f);
                        if (nets.LpipsAlex != null) Put(MetricNames.LpipsAlex, nets.LpipsAlex.Distance(a1, b1));
                        if (nets.LpipsVgg != null) Put(MetricNames.LpipsVgg, nets.LpipsVgg.Distance(a1, b1));
                        if (nets.ArcFace != null)
                        {
                            var ea = nets.ArcFace.Embed(a1, idMode).ToArray(); var eb = nets.ArcFace.Embed(b1, idMode).ToArray();
                            for (int k = 0; k < chunk.Length; k++) values[chunk[k]][MetricNames.IdSimilarity] = IdentityMetrics.Cosine(ea.AsSpan(k * 512, 512), eb.AsSpan(k * 512, 512));
                        }
                    }
                    if (nets.Dists != null) Put(MetricNames.Dists, nets.Dists.Distance(MetricImages.ToTensor(be!, xa), MetricImages.ToTensor(be!, xb)));
                    foreach (var i in chunk)
                    {
                        values[i][MetricNames.Psnr] = ImageQuality.Psnr(prepared[i].A.Image, prepared[i].B);
                        values[i][MetricNames.Ssim] = ImageQuality.Ssim(prepared[i].A.Image, prepared[i].B);
                    }
                    done += chunk.Length;
                    progress?.Report(new MetricsProgress("pairs", done, prepared.Count));
                }
        return new MetricsReport
        {
            Pairs = prepared.Select((p, i) => new PairMetrics(p.A.Name, p.BName, values[i], p.Resized)).ToList(),
            Unavailable = nets.Unavailable, RandomWeights = nets.RandomWeights.ToList(),
            IdPreprocess = nets.ArcFace != null ? Name(idMode) : null,
        };
    }

    /// <summary>Unit ArcFace embeddings [N·512] of images of any sizes (each preprocessed alone, then batched at 112²).</summary>
    public static float[] Embed(ArcFaceIrSe50 arcFace, IReadOnlyList<RgbImage> images, ArcFacePreprocess mode, int batch = 8,
        IProgress<MetricsProgress>? progress = null, string stage = "embedding", CancellationToken cancel = default)
    {
        var result = new List<float>();
        using var _ = GradMode.NoGrad();
        foreach (var chunk in images.Chunk(batch))
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = TensorScope.Begin();
            var inputs = chunk.Select(img => ArcFaceIrSe50.Preprocess(MetricImages.ToTensor(arcFace.Backend, [img], -1f, 1f), mode)).ToList();
            var x = inputs.Count == 1 ? inputs[0] : Engine.Ops.ShapeOps.Concat(inputs, 0);
            result.AddRange(arcFace.Forward(x).ToArray());
            progress?.Report(new MetricsProgress(stage, result.Count / 512, images.Count));
        }
        return result.ToArray();
    }

    /// <summary>Formula (2): ID_sim of <paramref name="generated"/> against <paramref name="reference"/>.</summary>
    public static IdSimResult IdSim(ArcFaceIrSe50 arcFace, IReadOnlyList<NamedImage> generated, IReadOnlyList<NamedImage> reference, ArcFacePreprocess mode,
        int batch = 8, IProgress<MetricsProgress>? progress = null, CancellationToken cancel = default)
    {
        var g = Embed(arcFace, generated.Select(x => x.Image).ToList(), mode, batch, progress, "embedding generated", cancel);
        var r = Embed(arcFace, reference.Select(x => x.Image).ToList(), mode, batch, progress, "embedding references", cancel);
        return IdentityMetrics.IdSim(g, r, 512);
    }

    /// <summary>"my3dgen" or "psp".</summary>
    public static string Name(ArcFacePreprocess mode) => mode == ArcFacePreprocess.Psp ? "psp" : "my3dgen";

    static IBackend? Backend(MetricNetworks n) => n.LpipsAlex?.Backend ?? n.LpipsVgg?.Backend ?? n.ArcFace?.Backend ?? n.Dists?.Backend;
}
