// The Ojha et al. intra-cluster diversity, as MyStyle uses it: every generated image joins the training image
// nearest in LPIPS-VGG; per cluster, the mean LPIPS over all unordered pairs of up to 50 members (a seeded random
// subset when larger); the score is the mean over clusters with at least 2 members. Images are resized to 256²
// (antialiased bilinear) and mapped to [-1,1]; each image's features are computed once.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Imaging;
using My3DGen.Models.Perceptual;

namespace My3DGen.Models.Metrics;

/// <summary>One cluster: the training image, how many generated images joined it and their mean pairwise LPIPS
/// (NaN with fewer than 2 members).</summary>
/// <param name="Train">The training image's name.</param>
/// <param name="Size">Members assigned.</param>
/// <param name="MeanLpips">Mean pairwise LPIPS over the (up to 50) members used.</param>
public sealed record DiversityCluster(string Train, int Size, double MeanLpips);

/// <summary>The diversity score (mean over non-NaN clusters), the sample std over those clusters, and the clusters.</summary>
/// <param name="Score">Mean intra-cluster LPIPS.</param>
/// <param name="Std">Sample standard deviation over the clusters used (NaN with fewer than 2).</param>
/// <param name="Clusters">Every training image's cluster.</param>
public sealed record DiversityResult(double Score, double Std, IReadOnlyList<DiversityCluster> Clusters);

/// <summary>Computes the diversity metric with an LPIPS-VGG network.</summary>
public static class DiversityMetric
{
    /// <summary>Members per cluster that enter the pairwise mean (Ojha et al.).</summary>
    public const int ClusterCap = 50;

    /// <summary>Diversity of <paramref name="generated"/> around <paramref name="train"/>. <paramref name="size"/> is the
    /// side the images are resized to (256 in the reference); <paramref name="seed"/> picks the members of clusters over the cap.
    /// Progress counts images featurised.</summary>
    public static DiversityResult Compute(Lpips lpipsVgg, IReadOnlyList<NamedImage> generated, IReadOnlyList<NamedImage> train,
        int size = 256, int batch = 8, int seed = 0, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        if (lpipsVgg.Net != LpipsNet.Vgg) throw new ArgumentException("the diversity metric uses LPIPS-VGG");
        if (generated.Count == 0 || train.Count == 0) throw new ArgumentException("diversity needs generated and training images");
        using var _ = GradMode.NoGrad();
        var be = lpipsVgg.Backend;
        int total = train.Count + generated.Count, done = 0;
        // Training features are kept; generated ones are compared to them batch by batch.
        using var scope = TensorScope.Begin();
        var trainFeats = train.Select(t => { var f = Featurise(lpipsVgg, be, [t.Image], size); progress?.Report((++done, total)); return f; }).ToList();
        var assign = new int[generated.Count];
        for (int start = 0; start < generated.Count; start += batch)
        {
            cancel.ThrowIfCancellationRequested();
            int n = Math.Min(batch, generated.Count - start);
            using var s2 = TensorScope.Begin();
            var f = Featurise(lpipsVgg, be, generated.Skip(start).Take(n).Select(g => g.Image).ToList(), size);
            var d = trainFeats.Select(tf => lpipsVgg.DistanceFromFeatures(f, tf).ToArray()).ToList();
            for (int i = 0; i < n; i++) assign[start + i] = Enumerable.Range(0, train.Count).MinBy(k => d[k][i]);
            done += n; progress?.Report((done, total));
        }
        var rng = new Random(seed);
        var clusters = new List<DiversityCluster>();
        for (int k = 0; k < train.Count; k++)
        {
            cancel.ThrowIfCancellationRequested();
            var members = Enumerable.Range(0, generated.Count).Where(i => assign[i] == k).ToList();
            int size0 = members.Count;
            if (members.Count > ClusterCap) members = members.OrderBy(_ => rng.Next()).Take(ClusterCap).OrderBy(i => i).ToList();
            clusters.Add(new DiversityCluster(train[k].Name, size0, members.Count < 2 ? double.NaN : PairwiseMean(lpipsVgg, be, members.Select(i => generated[i].Image).ToList(), size, batch)));
        }
        var used = clusters.Where(c => !double.IsNaN(c.MeanLpips)).Select(c => c.MeanLpips).ToList();
        double mean = used.Count == 0 ? double.NaN : used.Average();
        double std = used.Count < 2 ? double.NaN : Math.Sqrt(used.Sum(v => (v - mean) * (v - mean)) / (used.Count - 1));
        return new DiversityResult(mean, std, clusters);
    }

    /// <summary>Mean LPIPS over all pairs i &lt; j (features computed once per member).</summary>
    static double PairwiseMean(Lpips lpips, IBackend be, List<RgbImage> members, int size, int batch)
    {
        using var scope = TensorScope.Begin();
        var feats = new List<Tensor[]>();
        for (int s = 0; s < members.Count; s += batch) feats.Add(Featurise(lpips, be, members.Skip(s).Take(batch).ToList(), size));
        var all = Enumerable.Range(0, feats[0].Length).Select(k => ShapeOps.Concat(feats.Select(f => f[k]).ToList(), 0)).ToArray();
        double sum = 0; int pairs = 0;
        for (int i = 0; i + 1 < members.Count; i++)
        {
            using var s2 = TensorScope.Begin();
            int rest = members.Count - i - 1;
            var d = lpips.DistanceFromFeatures(all.Select(t => t.Slice(0, i + 1, rest)).ToArray(), all.Select(t => t.Slice(0, i, 1)).ToArray()).ToArray();
            foreach (var v in d) { sum += v; pairs++; }
        }
        return sum / pairs;
    }

    static Tensor[] Featurise(Lpips lpips, IBackend be, IReadOnlyList<RgbImage> images, int size)
    {
        var x = images.Select(img =>
        {
            var t = MetricImages.ToTensor(be, [img], -1f, 1f);
            return img.Width != size || img.Height != size ? Resampling.ResizeBilinear(t, size, size, antialias: true) : t;
        }).ToList();
        return lpips.Features(x.Count == 1 ? x[0] : ShapeOps.Concat(x, 0));
    }
}
