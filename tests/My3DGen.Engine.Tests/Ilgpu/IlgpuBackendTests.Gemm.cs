// GEMM checks: every kernel (naive, 16×16 tiled, 64×64 blocked) × transposes × odd sizes with edge
// tiles, batches with padded leading dimensions and offsets, alpha/beta. Tolerance: 1e-5·K relative.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    static readonly object[] GemmCases =
    [
        new object[] { 1, 1, 1 }, new object[] { 7, 13, 5 }, new object[] { 33, 17, 29 },
    ];

    [TestCaseSource(nameof(GemmCases))]
    public void Gemm_AllKernelsAndTransposes(int m, int n, int k)
    {
        foreach (var kind in new[] { GemmKernelKind.Naive, GemmKernelKind.Tiled16, GemmKernelKind.Blocked64 })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    CheckGemm(kind, ta, tb, m, n, k, batch: 1, alpha: 1f, beta: 0f, pad: 0);
    }

    [TestCase(GemmKernelKind.Naive)]
    [TestCase(GemmKernelKind.Tiled16)]
    [TestCase(GemmKernelKind.Blocked64)]
    public void Gemm_BatchAlphaBetaPadding(GemmKernelKind kind)
    {
        CheckGemm(kind, false, true, 7, 13, 5, batch: 3, alpha: 0.75f, beta: 0.5f, pad: 3);
        CheckGemm(kind, true, false, 9, 4, 11, batch: 3, alpha: -1.25f, beta: 1f, pad: 1);
    }

    [Test]
    public void Gemm_BetaZeroIgnoresNaNInC()
    {
        var a = B.Up(Dev.Rand(6, 1)); var b = B.Up(Dev.Rand(6, 2));
        var c = B.Up(Enumerable.Repeat(float.NaN, 4).ToArray());
        B.Gemm(GemmParams.Create(false, false, 2, 2, 3, 1f, 0, 3, 0, 0, 2, 0, 0f, 0, 2, 0), a, b, c);
        Assert.That(B.Down(c, 4), Has.None.NaN);
        Release(a, b, c);
    }

    void CheckGemm(GemmKernelKind kind, bool ta, bool tb, int m, int n, int k, int batch, float alpha, float beta, int pad)
    {
        B.GemmKernel = kind;
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        int aRows = ta ? k : m, bRows = tb ? n : k;
        int offA = 2, offB = 5, offC = 1;
        int strideA = aRows * lda + 1, strideB = bRows * ldb + 2, strideC = m * ldc + 3;
        var ha = Dev.Rand(offA + batch * strideA, 10 + m);
        var hb = Dev.Rand(offB + batch * strideB, 20 + n);
        var hc = Dev.Rand(offC + batch * strideC, 30 + k);
        var p = GemmParams.Create(ta, tb, m, n, k, alpha, offA, lda, strideA, offB, ldb, strideB, beta, offC, ldc, strideC, batch);
        var expected = (float[])hc.Clone();
        GemmReference.Run(ha, hb, expected, p);
        var a = B.Up(ha); var b = B.Up(hb); var c = B.Up(hc);
        B.Gemm(p, a, b, c);
        double tol = 1e-5 * Math.Max(k, 1);
        Dev.Close(expected, B.Down(c, hc.Length), tol, tol, $"gemm {kind} ta={ta} tb={tb} {m}x{n}x{k} b{batch}");
        Release(a, b, c);
    }
}
