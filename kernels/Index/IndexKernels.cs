// ILGPU gather/scatter along the middle axis of [outer, axis, inner]: index-select and index-add
// (atomic float adds, so duplicate indices accumulate, in an order that varies run to run; or the deterministic
// variant: one thread per (outer, inner) column walking the indices in order, as the reference does). Out-of-range
// indices select 0 / are skipped.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Index kernels; reference: <see cref="IndexReference"/>.</summary>
internal static class IndexKernels
{
    /// <summary>y[o, j, i] = x[o, idx[j], i]; x [outer, axisLength, inner], y [outer, count, inner].</summary>
    public static void Select(ArrayView<float> x, ArrayView<int> idx, ArrayView<float> y, int outer, int axisLength, int inner, int count)
    {
        int total = outer * count * inner;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int o = t / (count * inner), rem = t - o * count * inner, j = rem / inner, i = rem - j * inner;
            int a = idx[j];
            y[t] = a >= 0 && a < axisLength ? x[(o * axisLength + a) * inner + i] : 0f;
        }
    }

    /// <summary>gx[o, idx[j], i] += gy[o, j, i] with atomic adds.</summary>
    public static void Add(ArrayView<float> gy, ArrayView<int> idx, ArrayView<float> gx, int outer, int axisLength, int inner, int count)
    {
        int total = outer * count * inner;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int o = t / (count * inner), rem = t - o * count * inner, j = rem / inner, i = rem - j * inner;
            int a = idx[j];
            if (a >= 0 && a < axisLength) Atomic.Add(ref gx[(o * axisLength + a) * inner + i], gy[t]);
        }
    }

    /// <summary>gx[o, idx[j], i] += gy[o, j, i] without atomics: one thread per (o, i) adds j = 0, 1, … in order,
    /// so the result is bit-identical run to run and to <see cref="IndexReference.Add"/> (parallel over outer·inner only).</summary>
    public static void AddOrdered(ArrayView<float> gy, ArrayView<int> idx, ArrayView<float> gx, int outer, int axisLength, int inner, int count)
    {
        int columns = outer * inner;
        for (int t = GridStride.Start; t < columns; t += GridStride.Step)
        {
            int o = t / inner, i = t - o * inner;
            for (int j = 0; j < count; j++)
            {
                int a = idx[j];
                if (a >= 0 && a < axisLength) gx[(o * axisLength + a) * inner + i] += gy[(o * count + j) * inner + i];
            }
        }
    }
}
