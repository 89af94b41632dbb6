// Correctness of the Winograd F(4×4, 3×3) convolution against a double-precision direct 3×3 convolution: odd image sizes
// (not multiples of the tile), 1..40 channels, batch 1–3, with and without per-sample styles, the adjoint (checked also
// against ConvReference's input gradient), several chunks per image, one thread, the portable shuffle path, the narrow
// (≤ 16 tiles) GEMM against the general one, and one
// realistic-depth layer (512 input channels, K = 4608); the weight gradient against a double-precision correlation (and
// ConvReference's weight gradient), added to what gw held, over the same shapes, chunking and paths.
// Tolerance: max |Δ| ≤ 1e-4 · max |reference|.
using My3DGen.Kernels;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Engine.Tests.Cpu;

public class CpuWinogradTests
{
    private const double Tolerance = 1e-4;

    private static readonly (int N, int InC, int OutC, int H, int W)[] Shapes =
    [
        (1, 1, 1, 1, 1), (1, 3, 2, 2, 3), (2, 5, 7, 5, 7), (1, 8, 8, 4, 4), (3, 4, 6, 13, 9),
        (1, 17, 40, 8, 8), (2, 40, 17, 11, 6), (1, 33, 16, 9, 70), (1, 16, 24, 66, 19),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from s in Shapes
        from styled in new[] { false, true }
        from adjoint in new[] { false, true }
        select new TestCaseData(s.N, s.InC, s.OutC, s.H, s.W, styled, adjoint)
            .SetArgDisplayNames($"n{s.N} {s.InC}->{s.OutC} {s.H}x{s.W}", styled ? "styles" : "plain", adjoint ? "adjoint" : "forward");

    [TestCaseSource(nameof(Cases))]
    public void MatchesDirectConvolution(int n, int inC, int outC, int h, int w, bool styled, bool adjoint)
        => Check(n, inC, outC, h, w, styled, adjoint, seed: inC * 31 + h);

    [Test]
    public void AdjointIsConvReferenceInputGradient()
    {
        // Forward conv: 6 → 9 channels on 10×7; its input gradient is this call with inC = 9, outC = 6, adjoint.
        var g = new ConvGeometry(2, 6, 10, 7, 9, 3, stride: 1, pad: 1);
        var rng = new Random(5);
        var gy = CpuTestData.Uniform(rng, (int)g.OutputLength);
        var wt = CpuTestData.Uniform(rng, (int)g.WeightLength);
        var gx = Run(2, 9, 6, 10, 7, gy, null, wt, adjoint: true);
        var expected = ConvReference.BackwardInput(g, gy, wt);
        Assert.That(RelativeError(gx, Array.ConvertAll(expected, v => (double)v)), Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void ManyChunksPerImageAndOneThread()
    {
        long budget = CpuWinograd3x3.ChunkFloatBudget;
        int minTiles = CpuWinograd3x3.MinChunkTiles, threads = SimdGemm.MaxThreads;
        try
        {
            CpuWinograd3x3.MinChunkTiles = 1;
            CpuWinograd3x3.ChunkFloatBudget = 1;   // one tile row per chunk: parallel chunks
            Check(2, 12, 10, 23, 21, styled: true, adjoint: false, seed: 1);
            Check(1, 12, 10, 23, 21, styled: false, adjoint: true, seed: 2);
            SimdGemm.MaxThreads = 1;
            Check(2, 12, 10, 23, 21, styled: true, adjoint: true, seed: 3);
        }
        finally
        {
            CpuWinograd3x3.ChunkFloatBudget = budget;
            CpuWinograd3x3.MinChunkTiles = minTiles;
            SimdGemm.MaxThreads = threads;
        }
    }

    [Test]
    public void NarrowChunksMatchTheGeneralGemm()
    {
        // Images of ≤ 16 tiles (here 16² and 13×9) take CpuWinogradNarrowGemm: channel counts that end in a partial 16-row
        // block (27: one padded second panel; 40: a lone 8-row panel), a depth of two K slices (300), batch 1 (threads over
        // (ξ, block)) and batch 3 (one chunk per worker), one thread; each against the reference and the general GEMM path.
        int threads = SimdGemm.MaxThreads;
        try
        {
            foreach (var (n, inC, outC, h, w) in new[] { (1, 300, 27, 16, 16), (3, 20, 40, 16, 16), (1, 33, 16, 13, 9), (2, 512, 32, 16, 16) })
                foreach (int t in new[] { threads, 1 })
                {
                    SimdGemm.MaxThreads = t;
                    var narrow = Check(n, inC, outC, h, w, styled: true, adjoint: false, seed: inC + t);
                    CpuWinograd3x3.ForceGeneralGemm = true;
                    var general = Check(n, inC, outC, h, w, styled: true, adjoint: false, seed: inC + t);
                    CpuWinograd3x3.ForceGeneralGemm = false;
                    TestContext.Out.WriteLine($"n{n} {inC}->{outC} {h}x{w}, {t} threads: max|Δ| / max|ref| = {narrow:E2} (narrow), {general:E2} (general)");
                }
        }
        finally
        {
            SimdGemm.MaxThreads = threads;
            CpuWinograd3x3.ForceGeneralGemm = false;
        }
    }

    [Test]
    public void PortableShufflesMatch()
    {
        try
        {
            CpuWinogradTransforms.ForcePortable = true;
            Check(2, 9, 11, 13, 70, styled: true, adjoint: false, seed: 4);
            Check(1, 9, 11, 5, 7, styled: false, adjoint: true, seed: 6);
        }
        finally { CpuWinogradTransforms.ForcePortable = false; }
    }

    [Test]
    public void EveryGemmKernelLayout()
    {
        // The transformed weights are written in the active micro-kernel's packed layout (MR = 8, 6, 4).
        var saved = SimdGemmMicroKernel.Active;
        try
        {
            foreach (var k in SimdGemmMicroKernel.Supported())
            {
                SimdGemmMicroKernel.Active = k;
                Check(1, 21, 27, 9, 10, styled: true, adjoint: k.MR % 2 == 0, seed: k.MR);
            }
        }
        finally { SimdGemmMicroKernel.Active = saved; }
    }

    [Test]
    public unsafe void TransformedWeightsServeManyCalls()
    {
        var rng = new Random(8);
        var wt = CpuTestData.Uniform(rng, 12 * 7 * 9);
        fixed (float* pw = wt)
        {
            using var u = CpuWinogradWeights.Create(7, 12, pw, adjoint: false);
            for (int call = 0; call < 2; call++)
            {
                var x = CpuTestData.Uniform(rng, 2 * 7 * 11 * 9);
                var y = new float[2 * 12 * 11 * 9];
                fixed (float* px = x, py = y) CpuWinograd3x3.Forward(2, 11, 9, px, null, u, py);
                Assert.That(RelativeError(y, Reference(2, 7, 12, 11, 9, x, null, wt, false)), Is.LessThanOrEqualTo(Tolerance));
            }
        }
    }

    [Test]
    public void RealisticLayerAccuracy()
    {
        // 512 → 32 at 32² (K = 512·9 = 4608 terms per output, as EG3D's 512-channel layers), uniform activations and
        // weights, styles in [0.5, 1.5]; the adjoint of a 32 → 512 layer has the same depth.
        var err = Check(1, 512, 32, 32, 32, styled: true, adjoint: false, seed: 9);
        var errAdjoint = Check(1, 512, 32, 32, 32, styled: false, adjoint: true, seed: 10);
        // Post-activation inputs are mostly positive (leaky ReLU × √2): a large mean stresses the transforms differently.
        var errPositive = Check(1, 512, 32, 32, 32, styled: true, adjoint: false, seed: 11, shift: 1f);
        TestContext.Out.WriteLine($"max|Δ| / max|ref| = {err:E2} (forward), {errAdjoint:E2} (adjoint), {errPositive:E2} (positive inputs)");
    }

    private static IEnumerable<TestCaseData> WeightGradientCases() =>
        from s in Shapes
        from styled in new[] { false, true }
        select new TestCaseData(s.N, s.InC, s.OutC, s.H, s.W, styled)
            .SetArgDisplayNames($"n{s.N} {s.InC}->{s.OutC} {s.H}x{s.W}", styled ? "styles" : "plain");

    [TestCaseSource(nameof(WeightGradientCases))]
    public void WeightGradientMatchesDirectCorrelation(int n, int inC, int outC, int h, int w, bool styled)
        => CheckWeightGradient(n, inC, outC, h, w, styled, seed: inC * 17 + w);

    [Test]
    public void WeightGradientIsConvReferenceWeightGradient()
    {
        var g = new ConvGeometry(2, 6, 10, 7, 9, 3, stride: 1, pad: 1);
        var rng = new Random(12);
        var x = CpuTestData.Uniform(rng, (int)g.InputLength);
        var gy = CpuTestData.Uniform(rng, (int)g.OutputLength);
        var gw = RunWeightGradient(2, 6, 9, 10, 7, x, null, gy, new float[g.WeightLength]);
        var expected = ConvReference.BackwardWeight(g, gy, x);
        Assert.That(RelativeError(gw, Array.ConvertAll(expected, v => (double)v)), Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void WeightGradientOverChunksThreadsAndPaths()
    {
        long budget = CpuWinograd3x3.WeightGradientChunkFloatBudget;
        int minTiles = CpuWinograd3x3.MinChunkTiles, threads = SimdGemm.MaxThreads;
        try
        {
            CpuWinograd3x3.MinChunkTiles = 1;
            CpuWinograd3x3.WeightGradientChunkFloatBudget = 1;   // one tile row per chunk: ĝ accumulates over chunks
            CheckWeightGradient(2, 12, 10, 23, 21, styled: true, seed: 1);
            SimdGemm.MaxThreads = 1;
            CheckWeightGradient(1, 12, 10, 23, 21, styled: false, seed: 2);
            SimdGemm.MaxThreads = threads;
            CpuWinograd3x3.WeightGradientChunkFloatBudget = budget;
            CpuWinogradTransforms.ForcePortable = true;
            CheckWeightGradient(2, 9, 11, 13, 70, styled: true, seed: 3);
        }
        finally
        {
            CpuWinograd3x3.WeightGradientChunkFloatBudget = budget;
            CpuWinograd3x3.MinChunkTiles = minTiles;
            SimdGemm.MaxThreads = threads;
            CpuWinogradTransforms.ForcePortable = false;
        }
    }

    [Test]
    public void RealisticWeightGradientAccuracy()
    {
        // 512 → 64 at 32² (64 tiles per image summed into each of the 36 ĝ matrices), post-activation-like inputs.
        var err = CheckWeightGradient(1, 512, 64, 32, 32, styled: true, seed: 13, shift: 1f);
        TestContext.Out.WriteLine($"weight gradient max|Δ| / max|ref| = {err:E2}");
    }

    /// <summary>gw starts at random values: the call must add to them.</summary>
    private static double CheckWeightGradient(int n, int inC, int outC, int h, int w, bool styled, int seed, float shift = 0)
    {
        var rng = new Random(seed);
        var x = Array.ConvertAll(CpuTestData.Uniform(rng, n * inC * h * w), v => v + shift);
        var gy = CpuTestData.Uniform(rng, n * outC * h * w);
        float[]? s = styled ? Array.ConvertAll(CpuTestData.Uniform(rng, n * inC), v => 1f + 0.5f * v) : null;
        var start = CpuTestData.Uniform(rng, outC * inC * 9);
        var gw = RunWeightGradient(n, inC, outC, h, w, x, s, gy, (float[])start.Clone());
        var expected = WeightGradientReference(n, inC, outC, h, w, x, s, gy);
        for (int k = 0; k < expected.Length; k++) expected[k] += start[k];
        double err = RelativeError(gw, expected);
        Assert.That(err, Is.LessThanOrEqualTo(Tolerance));
        return err;
    }

    private static unsafe float[] RunWeightGradient(int n, int inC, int outC, int h, int w, float[] x, float[]? s, float[] gy, float[] gw)
    {
        fixed (float* px = x, ps = s, pg = gy, pw = gw)
            CpuWinograd3x3.WeightGradient(n, inC, outC, h, w, px, ps, pg, pw);
        return gw;
    }

    /// <summary>gw[o,i,ky,kx] = Σ_{b,p} gy[b,o,p]·s[b,i]·x[b,i,p + (ky−1, kx−1)] in double (zero padding 1).</summary>
    private static double[] WeightGradientReference(int n, int inC, int outC, int h, int w, float[] x, float[]? s, float[] gy)
    {
        var gw = new double[outC * inC * 9];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outC; o++)
                for (int i = 0; i < inC; i++)
                {
                    double si = s == null ? 1 : s[b * inC + i];
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            double acc = 0;
                            for (int oy = Math.Max(0, 1 - ky); oy < Math.Min(h, h + 1 - ky); oy++)
                                for (int ox = Math.Max(0, 1 - kx); ox < Math.Min(w, w + 1 - kx); ox++)
                                    acc += (double)gy[((b * outC + o) * h + oy) * w + ox] * x[((b * inC + i) * h + oy + ky - 1) * w + ox + kx - 1];
                            gw[(o * inC + i) * 9 + ky * 3 + kx] += si * acc;
                        }
                }
        return gw;
    }

    private static double Check(int n, int inC, int outC, int h, int w, bool styled, bool adjoint, int seed, float shift = 0)
    {
        var rng = new Random(seed);
        var x = Array.ConvertAll(CpuTestData.Uniform(rng, n * inC * h * w), v => v + shift);
        var wt = CpuTestData.Uniform(rng, outC * inC * 9);
        float[]? s = styled ? Array.ConvertAll(CpuTestData.Uniform(rng, n * inC), v => 1f + 0.5f * v) : null;
        var y = Run(n, inC, outC, h, w, x, s, wt, adjoint);
        double err = RelativeError(y, Reference(n, inC, outC, h, w, x, s, wt, adjoint));
        Assert.That(err, Is.LessThanOrEqualTo(Tolerance));
        return err;
    }

    private static unsafe float[] Run(int n, int inC, int outC, int h, int w, float[] x, float[]? s, float[] wt, bool adjoint)
    {
        var y = Enumerable.Repeat(float.NaN, n * outC * h * w).ToArray();
        fixed (float* px = x, ps = s, pw = wt, py = y)
            CpuWinograd3x3.Forward(n, inC, outC, h, w, px, ps, pw, adjoint, py);
        return y;
    }

    /// <summary>Direct 3×3 cross-correlation, zero padding 1, in double; adjoint reads weight [inC, outC] flipped.</summary>
    internal static double[] Reference(int n, int inC, int outC, int h, int w, float[] x, float[]? s, float[] wt, bool adjoint)
    {
        var y = new double[n * outC * h * w];
        var xs = new double[h * w];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < inC; i++)
            {
                double si = s == null ? 1 : s[b * inC + i];
                for (int p = 0; p < h * w; p++) xs[p] = si * x[(b * inC + i) * h * w + p];
                for (int o = 0; o < outC; o++)
                {
                    int yo = (b * outC + o) * h * w;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            double k = adjoint ? wt[(i * outC + o) * 9 + (2 - ky) * 3 + 2 - kx] : wt[(o * inC + i) * 9 + ky * 3 + kx];
                            for (int oy = Math.Max(0, 1 - ky); oy < Math.Min(h, h + 1 - ky); oy++)
                            {
                                int iy = oy + ky - 1;
                                for (int ox = Math.Max(0, 1 - kx); ox < Math.Min(w, w + 1 - kx); ox++)
                                    y[yo + oy * w + ox] += k * xs[iy * w + ox + kx - 1];
                            }
                        }
                }
            }
        return y;
    }

    /// <summary>max |y − ref| / max |ref| (infinite when y holds a NaN).</summary>
    internal static double RelativeError(float[] y, double[] reference)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double d = Math.Abs(y[i] - reference[i]);
            diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        return diff / Math.Max(scale, 1e-30);
    }
}
