// CPU backend GEMM and convolution primitives: thin adapters from the backend argument records
// to the SIMD GEMM (SimdGemm) and the im2col convolution (CpuConv2d).
using My3DGen.Kernels;
namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams g, Storage sa, Storage sb, Storage sc)
    {
        var a = D(sa); var b = D(sb); var c = Dst(sc);
        SimdGemm.GemmBatched(g.TransA != 0, g.TransB != 0, g.M, g.N, g.K, g.Alpha,
            a.AsSpan(g.OffsetA), g.Lda, g.StrideA, b.AsSpan(g.OffsetB), g.Ldb, g.StrideB,
            g.Beta, c.AsSpan(g.OffsetC), g.Ldc, g.StrideC, g.Batch);
    }

    /// <inheritdoc/>
    public void Conv2dForward(in ConvGeometry g, Storage x, Storage w, Storage? bias, Storage y) =>
        CpuConv2d.Conv2dForward(g, D(x), D(w), bias == null ? ReadOnlySpan<float>.Empty : D(bias).AsSpan(0, g.O), D(y).AsSpan(0, (int)((long)g.N * g.O * g.OH * g.OW)));

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in ConvGeometry g, Storage gy, Storage w, Storage gx, bool accumulate) =>
        CpuConv2d.Conv2dBackwardInput(g, D(gy), D(w), Dst(gx).AsSpan(0, g.N * g.C * g.H * g.W), accumulate);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in ConvGeometry g, Storage gy, Storage x, Storage gw, bool accumulate) =>
        CpuConv2d.Conv2dBackwardWeight(g, D(gy), D(x), Dst(gw).AsSpan(0, g.O * g.CPerGroup * g.KH * g.KW), accumulate);
}
