// Correctness of SimdGemm against the double-accumulating naive reference: odd sizes and tails, all transpose
// combinations, alpha/beta rules (beta == 0 ignores NaN in C), padded leading dimensions, batched strides, every
// micro-kernel the CPU supports, the single-threaded path and B panels packed once and shared by the row tasks. Tolerance: 1e-4·sqrt(K)·max(1,|alpha|) for unit-range data.
using My3DGen.Kernels;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Engine.Tests.Cpu;

public class SimdGemmTests
{
    private static readonly (int M, int N, int K)[] Sizes =
        [(1, 1, 1), (7, 13, 5), (33, 65, 17), (128, 96, 300), (9, 300, 41), (260, 1050, 270)];

    private static IEnumerable<TestCaseData> SizeAndTranspose() =>
        from s in Sizes
        from ta in new[] { false, true }
        from tb in new[] { false, true }
        select new TestCaseData(s.M, s.N, s.K, ta, tb).SetArgDisplayNames($"{s.M}x{s.N}x{s.K}", $"tA={ta}", $"tB={tb}");

    [TestCaseSource(nameof(SizeAndTranspose))]
    public void MatchesReference(int M, int N, int K, bool transA, bool transB)
        => CheckAgainstReference(M, N, K, transA, transB, alpha: 1f, beta: 0f, pad: 0);

    [TestCase(0.5f, 0.25f)]
    [TestCase(-1.5f, 1f)]
    [TestCase(2f, -0.75f)]
    [TestCase(0f, 0.5f)]
    [TestCase(0f, 0f)]
    public void AlphaBetaVariations(float alpha, float beta)
    {
        foreach (var (M, N, K) in new[] { (7, 13, 5), (65, 70, 33), (128, 96, 300) })
            CheckAgainstReference(M, N, K, transA: M % 2 == 0, transB: N % 2 == 1, alpha, beta, pad: 0);
    }

    [Test]
    public void PaddedLeadingDimensions()
    {
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                CheckAgainstReference(45, 77, 130, ta, tb, alpha: 0.75f, beta: 0.5f, pad: 5);
    }

    [Test]
    public void BetaZeroOverwritesNaN()
    {
        foreach (var (M, N, K) in new[] { (3, 4, 5), (67, 45, 90) })
        {
            var rng = new Random(3);
            var a = CpuTestData.Uniform(rng, M * K);
            var b = CpuTestData.Uniform(rng, K * N);
            var c = Enumerable.Repeat(float.NaN, M * N).ToArray();
            var expected = new float[M * N];
            SimdGemm.Gemm(false, false, M, N, K, 1f, a, K, b, N, 0f, c, N);
            Reference(false, false, M, N, K, 1f, a, K, b, N, 0f, expected, N);
            Assert.That(c.All(float.IsFinite), Is.True);
            Assert.That(CpuTestData.MaxAbsDiff(c, expected), Is.LessThanOrEqualTo(1e-4 * Math.Sqrt(K)));
        }
    }

    [Test]
    public void Batched_WithSharedAndPaddedStrides()
    {
        const int M = 37, N = 70, K = 50, batch = 3;
        var rng = new Random(5);
        long strideA = M * K + 7, strideC = M * N + 3;
        var a = CpuTestData.Uniform(rng, (int)(strideA * batch));
        var b = CpuTestData.Uniform(rng, K * N); // strideB = 0: one B shared by every batch entry
        var c = CpuTestData.Uniform(rng, (int)(strideC * batch));
        var expected = (float[])c.Clone();
        SimdGemm.GemmBatched(false, false, M, N, K, 1.25f, a, K, strideA, b, N, 0, 0.5f, c, N, strideC, batch);
        for (int i = 0; i < batch; i++)
            Reference(false, false, M, N, K, 1.25f, a.AsSpan((int)(i * strideA)), K, b, N, 0.5f,
                expected.AsSpan((int)(i * strideC)), N);
        Assert.That(CpuTestData.MaxAbsDiff(c, expected), Is.LessThanOrEqualTo(1.25e-4 * Math.Sqrt(K)));
    }

    [Test]
    public void Batched_SmallProblemsUseTheSimplePath()
    {
        const int M = 5, N = 6, K = 7, batch = 4;
        var rng = new Random(6);
        var a = CpuTestData.Uniform(rng, batch * K * M);
        var b = CpuTestData.Uniform(rng, batch * N * K);
        var c = new float[batch * M * N];
        var expected = new float[batch * M * N];
        SimdGemm.GemmBatched(true, true, M, N, K, 1f, a, M, K * M, b, K, N * K, 0f, c, N, M * N, batch);
        for (int i = 0; i < batch; i++)
            Reference(true, true, M, N, K, 1f, a.AsSpan(i * K * M), M, b.AsSpan(i * N * K), K, 0f,
                expected.AsSpan(i * M * N), N);
        Assert.That(CpuTestData.MaxAbsDiff(c, expected), Is.LessThanOrEqualTo(1e-4 * Math.Sqrt(K)));
    }

    private static IEnumerable<TestCaseData> Kernels() =>
        SimdGemmMicroKernel.Supported().Select(k => new TestCaseData(k.Name).SetArgDisplayNames(k.Name));

    [TestCaseSource(nameof(Kernels))]
    public void EveryMicroKernelMatchesReference(string kernelName)
    {
        var saved = SimdGemmMicroKernel.Active;
        try
        {
            SimdGemmMicroKernel.Active = SimdGemmMicroKernel.Supported().Single(k => k.Name == kernelName);
            foreach (var (M, N, K) in new[] { (33, 65, 17), (100, 70, 300) })
                foreach (var ta in new[] { false, true })
                    foreach (var tb in new[] { false, true })
                        CheckAgainstReference(M, N, K, ta, tb, alpha: 0.5f, beta: 1f, pad: 1);
        }
        finally { SimdGemmMicroKernel.Active = saved; }
    }

    [Test]
    public void SingleThreadedMatchesReference()
    {
        int saved = SimdGemm.MaxThreads;
        try
        {
            SimdGemm.MaxThreads = 1;
            CheckAgainstReference(150, 200, 64, false, true, alpha: 1f, beta: 0.5f, pad: 0);
        }
        finally { SimdGemm.MaxThreads = saved; }
    }

    [Test]
    public void SharedBPanelsMatchReference()
    {
        // Few columns, many rows and a deep K (the small conv layers' shape): the row tasks share one packing of B, over
        // several K slices, with and without transposes, batched with a B per batch entry; and with sharing turned off.
        int saved = SimdGemm.MaxThreads;
        long cap = SimdGemmDriver.SharedBMaxFloats;
        try
        {
            SimdGemm.MaxThreads = Math.Max(2, saved);
            CheckAgainstReference(520, 64, 700, false, false, alpha: 1f, beta: 0f, pad: 0);
            CheckAgainstReference(300, 45, 600, true, true, alpha: 0.5f, beta: 1f, pad: 3);
            const int M = 400, N = 40, K = 530, batch = 3;
            var rng = new Random(9);
            var a = CpuTestData.Uniform(rng, M * K);
            var b = CpuTestData.Uniform(rng, K * N * batch);
            var c = new float[M * N * batch];
            var expected = new float[c.Length];
            SimdGemm.GemmBatched(false, false, M, N, K, 1f, a, K, 0, b, N, (long)K * N, 0f, c, N, (long)M * N, batch);
            for (int i = 0; i < batch; i++)
                Reference(false, false, M, N, K, 1f, a, K, b.AsSpan(i * K * N), N, 0f, expected.AsSpan(i * M * N), N);
            Assert.That(CpuTestData.MaxAbsDiff(c, expected), Is.LessThanOrEqualTo(1e-4 * Math.Sqrt(K)));
            SimdGemmDriver.SharedBMaxFloats = 0;
            CheckAgainstReference(520, 64, 700, false, false, alpha: 1f, beta: 0f, pad: 0);
        }
        finally
        {
            SimdGemm.MaxThreads = saved;
            SimdGemmDriver.SharedBMaxFloats = cap;
        }
    }

    [Test]
    public void RejectsTooShortOperands()
    {
        var a = new float[10];
        var b = new float[12];
        var c = new float[12];
        Assert.Throws<ArgumentException>(() => SimdGemm.Gemm(false, false, 3, 4, 4, 1f, a, 4, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>(() => SimdGemm.Gemm(false, false, 3, 4, 3, 1f, new float[9], 2, b, 4, 0f, c, 4));
        Assert.DoesNotThrow(() => SimdGemm.Gemm(false, false, 3, 4, 3, 1f, new float[9], 3, b, 4, 0f, c, 4));
    }

    /// <summary>Random op(A), op(B), C with optional leading-dimension padding; compares SimdGemm to the reference.</summary>
    private static void CheckAgainstReference(int M, int N, int K, bool transA, bool transB, float alpha, float beta, int pad)
    {
        var rng = new Random(M * 7919 + N * 31 + K);
        int lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad;
        var a = CpuTestData.Uniform(rng, (transA ? K : M) * lda);
        var b = CpuTestData.Uniform(rng, (transB ? N : K) * ldb);
        var c = CpuTestData.Uniform(rng, M * ldc);
        var expected = (float[])c.Clone();
        SimdGemm.Gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
        Reference(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, expected, ldc);
        double tol = 1e-4 * Math.Sqrt(K) * Math.Max(1, Math.Abs(alpha));
        Assert.That(CpuTestData.MaxAbsDiff(c, expected), Is.LessThanOrEqualTo(tol),
            $"M={M} N={N} K={K} tA={transA} tB={transB} alpha={alpha} beta={beta} pad={pad} kernel={SimdGemm.KernelName}");
    }

    /// <summary>The one GEMM reference (kernels/Gemm/GemmReference) for a single unbatched product at offset 0.</summary>
    private static void Reference(bool transA, bool transB, int M, int N, int K, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        GemmReference.Run(a, b, c, GemmParams.Create(transA, transB, M, N, K, alpha, 0, lda, 0, 0, ldb, 0, beta, 0, ldc, 0));
}

/// <summary>Shared helpers of the CPU kernel tests: seeded unit-range data and error measures.</summary>
internal static class CpuTestData
{
    public static float[] Uniform(Random rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.That(a.Length, Is.EqualTo(b.Length));
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return double.IsNaN(m) ? double.PositiveInfinity : m;
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
