// Elementwise and reduction checks: every unary op and derivative against its operator struct (UnaryOperators),
// every binary op with broadcasting and transposed views, strided copy, fill, sum/max over rows.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    /// <summary>Per-op parameters a, b and an input range inside the op's domain.</summary>
    static (float A, float B, float Lo, float Hi) UnaryDomain(UnaryOp op) => op switch
    {
        UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Rsqrt => (0f, 0f, 0.05f, 4f),
        UnaryOp.PowScalar => (1.7f, 0f, 0.05f, 3f),
        UnaryOp.LeakyRelu => (0.2f, 0f, -3f, 3f),
        UnaryOp.Softplus => (2f, 3f, -3f, 3f),
        UnaryOp.Clamp => (-0.5f, 0.7f, -2f, 2f),
        UnaryOp.Affine => (1.5f, -0.25f, -3f, 3f),
        _ => (0f, 0f, -3f, 3f),
    };

    [Test]
    public void Unary_AllOpsMatchOperatorStructs([Values] UnaryOp op)
    {
        var (pa, pb, lo, hi) = UnaryDomain(op);
        const int n = 203, off = 3;
        var hx = Dev.Rand(n + off, (int)op, lo, hi);
        if (lo < 0) hx[off + 7] = 0f;                                  // exercise the x = 0 branches
        var x = B.Up(hx); var y = B.Allocate(n + 5);
        B.Unary(op, x, off, y, 5, n, pa, pb);
        var expected = new float[n];
        ElementwiseReference.Unary(hx.AsSpan(off, n), expected, v => UnaryOperators.Apply(op, v, pa, pb));
        var got = new float[n];
        B.Download(y, 5, got);
        Dev.Close(expected, got, 2e-6, 1e-6, $"unary {op}");
        Release(x, y);
    }

    [Test]
    public void UnaryGrad_AllOpsMatchOperatorStructs([Values] UnaryOp op)
    {
        var (pa, pb, lo, hi) = UnaryDomain(op);
        const int n = 157;
        var hx = Dev.Rand(n, 100 + (int)op, lo, hi);
        if (lo < 0) hx[11] = 0f;
        var hy = hx.Select(v => UnaryOperators.Apply(op, v, pa, pb)).ToArray();
        var hgy = Dev.Rand(n, 200 + (int)op);
        var x = B.Up(hx); var y = B.Up(hy); var gy = B.Up(hgy); var gx = B.Allocate(n);
        B.UnaryGrad(op, x, y, gy, gx, n, pa, pb);
        var expected = new float[n];
        ElementwiseReference.UnaryGrad(hx, hy, hgy, expected, (xv, yv) => UnaryOperators.Derivative(op, xv, yv, pa, pb));
        Dev.Close(expected, B.Down(gx, n), 2e-6, 1e-6, $"unary-grad {op}");
        Release(x, y, gy, gx);
    }

    [Test]
    public void Binary_AllOpsBroadcastAndTransposed([Values] BinaryOp op)
    {
        // a: [3,1,5] broadcast along dim 1; b: a transposed [5,4] block read as [4,5] and broadcast along dim 0.
        bool positive = op == BinaryOp.Pow;
        var ha = Dev.Rand(2 + 15, 1, positive ? 0.1f : -2f, 2f);
        var hb = Dev.Rand(20, 2, positive ? -1.5f : 0.25f, 2f);
        var av = KernelView.Create([3, 4, 5], [5, 0, 1], 2);
        var bv = KernelView.Create([3, 4, 5], [0, 1, 4], 0);
        int n = 60;
        var a = B.Up(ha); var b = B.Up(hb); var y = B.Allocate(n);
        B.Binary(op, a, av, b, bv, y, n);
        var expected = new float[n];
        ElementwiseReference.Binary(ha, av, hb, bv, expected,
            (u, v) => BinaryOperators.Apply(op, u, v));
        Dev.Close(expected, B.Down(y, n), 2e-6, 1e-6, $"binary {op}");
        Release(a, b, y);
    }

    [Test]
    public void Copy_StridedToStrided()
    {
        // src: [2,3,4] permuted view of a [4,3,2] block at offset 1; dst: [2,3,4] with row padding at offset 3.
        var hs = Dev.Rand(1 + 24, 5);
        var sv = KernelView.Create([2, 3, 4], [1, 2, 6], 1);
        var dv = KernelView.Create([2, 3, 4], [18, 6, 1], 3);
        var hd = Dev.Rand(3 + 36, 6);
        var s = B.Up(hs); var d = B.Up(hd);
        B.Copy(s, sv, d, dv);
        var expected = (float[])hd.Clone();
        ElementwiseReference.Copy(hs, sv, expected, dv, 24);
        Dev.Close(expected, B.Down(d, hd.Length), 0, 0, "strided copy");
        Release(s, d);
    }

    [Test]
    public void FillUploadDownload_WithOffsets()
    {
        var s = B.Allocate(50);
        B.Fill(s, 0, 50, 1f);
        B.Fill(s, 7, 13, -2.5f);
        B.Upload(new float[] { 9, 8, 7 }, s, 45);
        var part = new float[6];
        B.Download(s, 17, part);
        Assert.That(part, Is.EqualTo(new float[] { -2.5f, -2.5f, -2.5f, 1, 1, 1 }));
        var all = B.Down(s, 50);
        Assert.That(all[6], Is.EqualTo(1f)); Assert.That(all[7], Is.EqualTo(-2.5f));
        Assert.That(all[^5..], Is.EqualTo(new float[] { 9, 8, 7, 1, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => B.Fill(s, 45, 6, 0f));
        Release(s);
    }

    [TestCase(5, 1)]
    [TestCase(7, 13)]
    [TestCase(3, 1000)]
    [TestCase(2, 257)]
    public void Reduce_SumMax_BothKernels(int outer, int inner)
    {
        const int off = 4;
        var hx = Dev.Rand(off + outer * inner, outer * 31 + inner);
        var x = B.Up(hx); var y = B.Allocate(outer);
        foreach (var kind in new[] { ReduceKernelKind.RowLoop, ReduceKernelKind.Tree })
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.Max })
            {
                B.ReduceKernel = kind;
                B.ReduceLastAxis(op, x, off, outer, inner, y);
                var expected = new float[outer];
                ReduceReference.LastAxis(hx.AsSpan(off), outer, inner, op, expected);
                double tol = op == ReduceOp.Sum ? 1e-6 * inner : 0;
                Dev.Close(expected, B.Down(y, outer), tol, tol, $"reduce {op} {kind} [{outer},{inner}]");
            }
        Release(x, y);
    }
}
