// Plain C# reference loops for the elementwise family. The scalar math is passed in as a delegate
// (tests pass UnaryOperators / BinaryOperators.Apply), so only the indexing/broadcasting is re-implemented here.
namespace My3DGen.Kernels;

/// <summary>Reference implementations of <see cref="ElementwiseKernels"/>.</summary>
internal static class ElementwiseReference
{
    /// <summary>y[i] = f(x[i]).</summary>
    public static void Unary(ReadOnlySpan<float> x, Span<float> y, Func<float, float> f)
    {
        for (int i = 0; i < y.Length; i++) y[i] = f(x[i]);
    }

    /// <summary>gx[i] = gy[i]·df(x[i], y[i]).</summary>
    public static void UnaryGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> gy, Span<float> gx,
        Func<float, float, float> df)
    {
        for (int i = 0; i < gx.Length; i++) gx[i] = gy[i] * df(x[i], y[i]);
    }

    /// <summary>y[i] = f(a[av(i)], b[bv(i)]) for i in [0, y.Length).</summary>
    public static void Binary(ReadOnlySpan<float> a, KernelView av, ReadOnlySpan<float> b, KernelView bv, Span<float> y,
        Func<float, float, float> f)
    {
        for (int i = 0; i < y.Length; i++) y[i] = f(a[av.IndexOf(i)], b[bv.IndexOf(i)]);
    }

    /// <summary>dst[dv(i)] = src[sv(i)] for i in [0, n).</summary>
    public static void Copy(ReadOnlySpan<float> src, KernelView sv, Span<float> dst, KernelView dv, int n)
    {
        for (int i = 0; i < n; i++) dst[dv.IndexOf(i)] = src[sv.IndexOf(i)];
    }
}
