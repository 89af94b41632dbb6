// ILGPU kernels for the elementwise family: unary, unary-gradient, strided broadcasting binary,
// strided copy and fill. All are grid-stride loops launched with an explicit KernelConfig; the
// operator kernels are generic over the operator struct (UnaryOperators / BinaryOperators).
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Elementwise kernels; reference: <see cref="ElementwiseReference"/>.</summary>
internal static class ElementwiseKernels
{
    /// <summary>y[i] = f(x[i]) for i in [0, n); x and y are views already offset by the caller.</summary>
    public static void Unary<TOp>(ArrayView<float> x, ArrayView<float> y, int n, float a, float b)
        where TOp : struct, IUnaryOperator
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            y[i] = default(TOp).Apply(x[i], a, b);
    }

    /// <summary>gx[i] = gy[i]·f'(x[i], y[i]).</summary>
    public static void UnaryGrad<TOp>(ArrayView<float> x, ArrayView<float> y, ArrayView<float> gy, ArrayView<float> gx,
        int n, float a, float b) where TOp : struct, IUnaryOperator
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            gx[i] = gy[i] * default(TOp).Derivative(x[i], y[i], a, b);
    }

    /// <summary>y[i] = a[av(i)] ∘ b[bv(i)] for i in [0, n); views broadcast with stride 0.</summary>
    public static void Binary<TOp>(ArrayView<float> a, KernelView av, ArrayView<float> b, KernelView bv,
        ArrayView<float> y, int n) where TOp : struct, IBinaryOperator
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            y[i] = default(TOp).Apply(a[av.IndexOf(i)], b[bv.IndexOf(i)]);
    }

    /// <summary>dst[dv(i)] = src[sv(i)] for i in [0, n).</summary>
    public static void Copy(ArrayView<float> src, KernelView sv, ArrayView<float> dst, KernelView dv, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            dst[dv.IndexOf(i)] = src[sv.IndexOf(i)];
    }

    /// <summary>y[i] = value for i in [0, n).</summary>
    public static void Fill(ArrayView<float> y, int n, float value)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            y[i] = value;
    }
}
