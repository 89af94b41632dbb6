// Plain C# reference for index-select / index-add along the middle axis.
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="IndexKernels"/>.</summary>
internal static class IndexReference
{
    /// <summary>y[o, j, i] = x[o, idx[j], i].</summary>
    public static float[] Select(float[] x, int outer, int axisLength, int inner, int[] idx)
    {
        var y = new float[outer * idx.Length * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                for (int i = 0; i < inner; i++)
                    y[(o * idx.Length + j) * inner + i] = x[(o * axisLength + idx[j]) * inner + i];
        return y;
    }

    /// <summary>gx[o, idx[j], i] += gy[o, j, i] (in place, sequential order).</summary>
    public static void Add(float[] gy, int outer, int axisLength, int inner, int[] idx, float[] gx)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                for (int i = 0; i < inner; i++)
                    gx[(o * axisLength + idx[j]) * inner + i] += gy[(o * idx.Length + j) * inner + i];
    }
}
