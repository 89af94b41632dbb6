// ILGPU kernels of the fused tri-plane decode: forward (one point per thread, features and hidden units in local
// memory), the backward's per-point rows, and the deterministic scatter of the plane gradient: contributions are
// summed as 64-bit fixed point scaled by the chunk's max |g| (integer addition is order-independent, so the result
// does not depend on thread timing), then converted and added to the float gradient chunk by chunk.
using ILGPU;
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Tri-plane decode kernels; body in <see cref="TriplaneCore"/>, reference <see cref="TriplaneReference"/>.</summary>
internal static class TriplaneKernels
{
    /// <summary>Fixed-point scale: the chunk's largest |contribution| maps to 2^38 (room for 2^25 summands per texel).</summary>
    public const double FixedRange = 274877906944.0;

    /// <summary>output[q] = decoder(mean of planes at point q) for every point.</summary>
    public static void Forward(ArrayView<float> planes, ArrayView<float> dec, ArrayView<float> rays, ArrayView<float> depths,
        ArrayView<float> output, TriplaneParams p)
    {
        var scratch = new ViewBuffer(LocalMemory.Allocate<float>(TriplaneLayout.ForwardScratch));
        int n = p.Points;
        for (int q = GridStride.Start; q < n; q += GridStride.Step)
            TriplaneCore.Forward(new ViewBuffer(planes), new ViewBuffer(dec), new ViewBuffer(rays), new ViewBuffer(depths),
                new ViewBuffer(output), scratch, 0, p, q);
    }

    /// <summary>Backward rows of the chunk's points and their max |gf| (maxes[i] for point ChunkStart + i).</summary>
    public static void BackwardRows(ArrayView<float> planes, ArrayView<float> dec, ArrayView<float> rays, ArrayView<float> depths,
        ArrayView<float> gOut, ArrayView<float> rows, ArrayView<float> maxes, TriplaneParams p)
    {
        for (int i = GridStride.Start; i < p.ChunkCount; i += GridStride.Step)
            maxes[i] = TriplaneCore.Backward(new ViewBuffer(planes), new ViewBuffer(dec), new ViewBuffer(rays), new ViewBuffer(depths),
                new ViewBuffer(gOut), new ViewBuffer(rows), i * TriplaneLayout.RowSize, p, p.ChunkStart + i);
    }

    /// <summary>acc[texel·32 + c] += fixed(gf_c · tap weight) for every tap of the chunk's points (64-bit integer atomics).</summary>
    public static void ScatterFixed(ArrayView<float> rays, ArrayView<float> depths, ArrayView<float> rows, ArrayView<float> max,
        ArrayView<long> acc, TriplaneParams p)
    {
        float m = max[0];
        double scale = m > 0f ? FixedRange / m : 0.0;
        for (int i = GridStride.Start; i < p.ChunkCount; i += GridStride.Step)
            TriplaneCore.Taps(new ViewBuffer(rays), new ViewBuffer(depths), p, p.ChunkStart + i,
                new FixedScatterTaps(acc, rows, i * TriplaneLayout.RowSize + TriplaneLayout.RowGf, scale));
    }

    /// <summary>grad[i] += acc[i] / scale and acc[i] = 0, for i in [0, n).</summary>
    public static void AddFixed(ArrayView<long> acc, ArrayView<float> max, ArrayView<float> grad, int n)
    {
        float m = max[0];
        double scale = m > 0f ? FixedRange / m : 0.0;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            long v = acc[i];
            if (v != 0) grad[i] += (float)(v / scale);
            acc[i] = 0;
        }
    }
}

/// <summary>acc[at + c] += round(weight · gf_c · scale) for the 32 channels of a tap (64-bit integer atomics).</summary>
internal readonly struct FixedScatterTaps(ArrayView<long> acc, ArrayView<float> rows, int gf, double scale) : ITapVisitor
{
    /// <inheritdoc/>
    public void Visit(int planeIndex, int row, int at, float weight)
    {
        for (int c = 0; c < TriplaneLayout.Channels; c++)
            Atomic.Add(ref acc[at + c], (long)XMath.Round(weight * rows[gf + c] * scale));
    }
}
