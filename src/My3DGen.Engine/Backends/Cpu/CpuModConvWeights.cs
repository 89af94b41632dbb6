// The shared raw weight of the modulated conv in the forms its CPU GEMMs read (GEMM-packed rows, tap-major packings for
// the transposed conv and the data gradient, Winograd U matrices), taken from DerivedCache so that a weight that
// has not changed since the last call is not packed or transformed again. A null key (a LoRA factor) builds per call.
using System.Buffers;

namespace My3DGen.Engine.Backends.Cpu;

/// <summary>One prepared form of a weight (a DerivedCache key): what it is and the dimensions it was built for.</summary>
internal readonly record struct PackedWeightForm(string Form, int Rows, int Cols, int Taps, bool Flip = false);

internal static unsafe partial class CpuModConv
{
    /// <summary>w [rows, k] packed as the GEMM's A (SimdGemm.PrepackA).</summary>
    private static Derived<float[]> GemmRows(Storage? key, float* w, int rows, int k)
    {
        long size = SimdGemm.PackedASize(rows, k);
        nint pw = (nint)w;
        return DerivedCache.Get(key, new PackedWeightForm("gemm rows", rows, k, 1), 4 * size, () =>
        {
            var packed = ArrayPool<float>.Shared.Rent(checked((int)size));
            fixed (float* pp = packed) SimdGemm.PrepackA(false, rows, k, 1f, (float*)pw, k, pp);
            return packed;
        }, a => ArrayPool<float>.Shared.Return(a));
    }

    /// <summary>w [rows, cols, K, K] packed tap-major (see <see cref="PackTapMajor"/>).</summary>
    private static Derived<float[]> TapMajor(Storage? key, float* w, int rows, int cols, int taps, bool outputsAsRows, bool flip = false)
    {
        int m = outputsAsRows ? rows * taps : cols, k = outputsAsRows ? cols : rows * taps;
        nint pw = (nint)w;
        var form = new PackedWeightForm(outputsAsRows ? "tap-major rows" : "tap-major columns", rows, cols, taps, flip);
        return DerivedCache.Get(key, form, 4 * SimdGemm.PackedASize(m, k),
            () => PackTapMajor((float*)pw, rows, cols, taps, outputsAsRows, flip), a => ArrayPool<float>.Shared.Return(a));
    }

    /// <summary>The 36 Winograd matrices of a 3×3 weight (CpuWinogradWeights.Create: [outC, inC, 3, 3], or with adjoint a
    /// forward conv's weight [inC, outC, 3, 3] read transposed and rotated).</summary>
    private static Derived<CpuWinogradWeights> Winograd(Storage? key, float* w, int inC, int outC, bool adjoint)
    {
        nint pw = (nint)w;
        return DerivedCache.Get(key, new PackedWeightForm("winograd", outC, inC, 36, adjoint), 4 * CpuWinogradWeights.PackedFloats(inC, outC),
            () => CpuWinogradWeights.Create(inC, outC, (float*)pw, adjoint), u => u.Dispose());
    }
}
