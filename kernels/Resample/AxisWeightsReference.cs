// Plain C# reference for applying CSR axis weights, accumulating in double.
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="AxisWeightsKernels"/>.</summary>
internal static class AxisWeightsReference
{
    /// <summary>y[o, r, i] = Σ_k w[k]·x[o, idx[k], i] over CSR row r.</summary>
    public static float[] Apply(float[] x, int outer, int inLength, int outLength, int inner, int[] rowStart, int[] idx, float[] w)
    {
        var y = new float[outer * outLength * inner];
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < outLength; r++)
                for (int i = 0; i < inner; i++)
                {
                    double s = 0;
                    for (int k = rowStart[r]; k < rowStart[r + 1]; k++) s += (double)w[k] * x[(o * inLength + idx[k]) * inner + i];
                    y[(o * outLength + r) * inner + i] = (float)s;
                }
        return y;
    }
}
