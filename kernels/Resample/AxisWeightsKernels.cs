// ILGPU kernel applying a sparse 1-D resampling matrix (CSR rows) along the middle axis of
// x [outer, inLength, inner] → y [outer, outLength, inner]: bilinear/antialiased resize and its transpose.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Axis resampling; reference: <see cref="AxisWeightsReference"/>.</summary>
internal static class AxisWeightsKernels
{
    /// <summary>y[o, r, i] = Σ_{k in [rowStart[r], rowStart[r+1])} w[k]·x[o, idx[k], i].</summary>
    public static void Apply(ArrayView<float> x, ArrayView<float> y, ArrayView<int> rowStart, ArrayView<int> idx,
        ArrayView<float> w, int outer, int inLength, int outLength, int inner)
    {
        int total = outer * outLength * inner;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int o = t / (outLength * inner), rem = t - o * outLength * inner, r = rem / inner, i = rem - r * inner;
            float s = 0f;
            int end = rowStart[r + 1];
            for (int k = rowStart[r]; k < end; k++) s += w[k] * x[(o * inLength + idx[k]) * inner + i];
            y[t] = s;
        }
    }
}
