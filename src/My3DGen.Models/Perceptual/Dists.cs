// DISTS (Ding et al. 2020) image quality distance: VGG16 features with every max-pool replaced by L2 pooling, the
// raw image as stage 0, and per-channel texture (means) and structure (covariance) similarities weighted by the
// learned alpha/beta (dists-pytorch weights.pt). Inference only; inputs in [0,1].
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;

namespace My3DGen.Models.Perceptual;

/// <summary>The DISTS distance. Weights are frozen tensors on one backend; dispose to release them.</summary>
public sealed class Dists : IDisposable
{
    /// <summary>Channels of the six stages (raw image, relu1_2 … relu5_3): 1475 alpha and beta weights in all.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [3, 64, 128, 256, 512, 512];
    const float C1 = 1e-6f, C2 = 1e-6f;
    static readonly float[] Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f];

    /// <summary>True when the weights are random (tests, benchmarks), not the released ones.</summary>
    public bool IsRandom { get; }
    readonly TorchvisionFeatures _vgg;
    readonly Tensor[] _alpha, _beta;
    readonly Tensor _mean, _invStd;
    readonly Dictionary<int, Tensor> _l2Filters = new();  // channels → depthwise filter, built once (outside any scope)
    /// <summary>The backend the weights live on.</summary>
    public IBackend Backend { get; }

    Dists(IBackend backend, Func<string, int[], Tensor> weight, bool isRandom)
    {
        Backend = backend; IsRandom = isRandom;
        _vgg = new TorchvisionFeatures(LpipsNet.Vgg, weight);
        var alpha = weight("alpha", [1, 1475, 1, 1]).ToArray();
        var beta = weight("beta", [1, 1475, 1, 1]).ToArray();
        double total = alpha.Sum(v => (double)v) + beta.Sum(v => (double)v);
        _alpha = Split(alpha, total); _beta = Split(beta, total);
        _mean = Tensor.FromArray(backend, Mean, 1, 3, 1, 1);
        _invStd = Tensor.FromArray(backend, Std.Select(v => 1f / v).ToArray(), 1, 3, 1, 1);
        foreach (int c in StageChannels.Skip(1).Take(4)) _l2Filters[c] = HannFilter(c);
    }

    /// <summary>The depthwise 3×3 filter [1,2,1]ᵀ[1,2,1]/16 (hanning(5)[1:-1] outer product, normalised) for c channels.</summary>
    Tensor HannFilter(int c)
    {
        float[] a = [0.5f, 1f, 0.5f];
        var k = new float[c * 9];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < 9; i++) k[ch * 9 + i] = a[i / 3] * a[i % 3] / 4f;
        return Tensor.FromArray(Backend, k, c, 1, 3, 3);
    }

    Tensor[] Split(float[] w, double total)
    {
        var parts = new Tensor[StageChannels.Count];
        for (int k = 0, off = 0; k < parts.Length; off += StageChannels[k++])
            parts[k] = Tensor.FromArray(Backend, w.AsSpan(off, StageChannels[k]).ToArray().Select(v => (float)(v / total)).ToArray(), 1, StageChannels[k]);
        return parts;
    }

    /// <summary>Loads the VGG16 convs (`features.{i}.weight/bias`, converted torchvision vgg16 file) and `alpha`, `beta`
    /// [1,1475,1,1] (converted dists-pytorch weights.pt). Both may be the same file.</summary>
    public static Dists Load(string vggPath, string weightsPath, IBackend backend)
    {
        using var reader = new StateDictReader(backend, "DISTS", vggPath, weightsPath);
        return new Dists(backend, reader.Get, isRandom: false);
    }

    /// <summary>Random weights of the right shapes: the VGG16 convs exactly as <see cref="Lpips.CreateRandom"/>(Vgg, seed)
    /// draws them, then alpha and beta uniform in [0.1, 1) (streams seed·1000 + 26, + 27).</summary>
    public static Dists CreateRandom(int seed, IBackend backend)
    {
        var draw = new HashWeights(backend, seed);
        Tensor Make(string name, int[] shape) => name is "alpha" or "beta" ? draw.Next(shape, 0.1, 1.0)
            : name.EndsWith(".bias", StringComparison.Ordinal) ? draw.Next(shape, -0.05, 0.05)
            : draw.Next(shape, -HashWeights.HeBound(shape), HashWeights.HeBound(shape));
        return new Dists(backend, Make, isRandom: true);
    }

    /// <summary>DISTS(x, y) per sample: x, y [N,3,H,W] in [0,1] (H, W ≥ 32) → [N], 0 for identical images.</summary>
    public Tensor Distance(Tensor x, Tensor y)
    {
        if (x.Rank != 4 || x.Shape[1] != 3 || !x.Shape.SequenceEqual(y.Shape))
            throw new ShapeMismatchException("dists", $"expects two [N,3,H,W] images of equal shape, got [{string.Join(",", x.Shape)}] and [{string.Join(",", y.Shape)}]");
        int n = x.Shape[0];
        using var _ = GradMode.NoGrad();
        return InferenceScope.Run(() =>
        {
            var both = ShapeOps.Concat([x, y], 0);
            var score = Similarity(both, 0, n);
            int k = 1;
            foreach (var f in _vgg.Taps((both - _mean) * _invStd, L2Pool)) score = score + Similarity(f, k++, n);
            return 1f - score;
        });
    }

    /// <summary>Σ_j α̃_kj S1_kj + β̃_kj S2_kj of stage k for features [2N,C,H,W] (x then y) → [N].</summary>
    Tensor Similarity(Tensor f, int k, int n)
    {
        var fx = f.Slice(0, 0, n); var fy = f.Slice(0, n, n);
        var mx = fx.Mean([2, 3]); var my = fy.Mean([2, 3]);
        var s1 = (2f * mx * my + C1) / (mx.Square() + my.Square() + C1);
        var vx = (fx - mx.Reshape(n, -1, 1, 1)).Square().Mean([2, 3]);
        var vy = (fy - my.Reshape(n, -1, 1, 1)).Square().Mean([2, 3]);
        var cxy = (fx * fy).Mean([2, 3]) - mx * my;
        var s2 = (2f * cxy + C2) / (vx + vy + C2);
        return (_alpha[k] * s1 + _beta[k] * s2).Sum([1]);
    }

    /// <summary>L2 pooling: sqrt(depthwise conv of x² with the 3×3 Hann filter [1,2,1]ᵀ[1,2,1]/16, stride 2, pad 1 + 1e-12).</summary>
    Tensor L2Pool(Tensor h, MaxPoolStep _)
    {
        int c = h.Shape[1];
        var g = _l2Filters[c];
        return (Convolution.Conv2d(h.Square(), g, null, 2, 1, groups: c) + 1e-12f).Sqrt();
    }

    /// <summary>Releases the weights.</summary>
    public void Dispose()
    {
        _vgg.Dispose(); _mean.Dispose(); _invStd.Dispose();
        foreach (var t in _alpha.Concat(_beta).Concat(_l2Filters.Values)) t.Dispose();
    }
}
