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
        const int C = TriplaneLayout.Channels;
        float m = max[0];
        double scale = m > 0f ? FixedRange / m : 0.0;
        for (int i = GridStride.Start; i < p.ChunkCount; i += GridStride.Step)
        {
            int b = TriplaneCore.Position(new ViewBuffer(rays), new ViewBuffer(depths), p, p.ChunkStart + i, out float px, out float py, out float pz);
            float qx = p.Scale * px, qy = p.Scale * py, qz = p.Scale * pz;
            int gf = i * TriplaneLayout.RowSize + TriplaneLayout.RowGf;
            for (int plane = 0; plane < 3; plane++)
            {
                TriplaneCore.Project(plane, qx, qy, qz, out float u, out float v);
                if (!TriplaneCore.Locate(u, v, p.Width, p.Height, out int x0, out int y0, out float fx, out float fy)) continue;
                int planeBase = (b * 3 + plane) * p.PlaneSize;
                for (int tap = 0; tap < 4; tap++)
                {
                    int texel = TriplaneCore.Tap(tap, x0, y0, fx, fy, p.Width, p.Height, out float wt);
                    if (texel < 0) continue;
                    int at = planeBase + texel * C;
                    for (int c = 0; c < C; c++)
                        Atomic.Add(ref acc[at + c], (long)XMath.Round(wt * rows[gf + c] * scale));
                }
            }
        }
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
