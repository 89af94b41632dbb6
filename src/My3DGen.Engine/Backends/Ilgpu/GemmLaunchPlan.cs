// How one batched GEMM is cut into launches that respect the device limits: grid Y (row tiles) and grid Z (batch)
// at most 65,535 on CUDA, and every index a kernel computes inside int32. Each chunk is rebased (its operands start
// at 64-bit element offsets passed as sub-views), so the kernels' int index math only spans one chunk.
using ILGPU;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>One launch of a GEMM: the element offsets of its operands' sub-views, its local parameters
/// (offsets relative to those sub-views) and, for the tiled kernels, its grid.</summary>
internal readonly record struct GemmChunk(long BaseA, long BaseB, long BaseC, GemmParams Local, Index3D Grid);

/// <summary>Splits a batched GEMM into launches within the grid and int32 limits (see <see cref="DeviceLimits"/>).</summary>
internal static class GemmLaunchPlan
{
    /// <summary>The launches of <paramref name="p"/> for a tiled kernel of output tile <paramref name="edge"/>
    /// (grid ⌈N/edge⌉ × ⌈M/edge⌉ × batch), or for the one-thread-per-output naive kernel when <paramref name="edge"/> is 0;
    /// grid Y and Z at most <paramref name="maxGridYZ"/> (lowered only by tests).</summary>
    public static List<GemmChunk> Plan(in GemmParams p, int edge, int maxGridYZ = DeviceLimits.MaxGridYZ)
    {
        var chunks = new List<GemmChunk>();
        if (p.M <= 0 || p.N <= 0 || p.Batch <= 0) return chunks;
        // Rows per launch: grid Y holds at most MaxGridYZ row tiles; the naive kernel's M·N·batch index must fit int32.
        long rowsPerLaunch = edge > 0 ? (long)maxGridYZ * edge : Math.Max(1, DeviceLimits.MaxLinearCount / p.N);
        int mc = (int)Math.Min(p.M, rowsPerLaunch);
        for (int m0 = 0; m0 < p.M; m0 += mc)
        {
            int rows = Math.Min(mc, p.M - m0);
            int bc = BatchPerLaunch(p, rows, edge, maxGridYZ);
            for (int b0 = 0; b0 < p.Batch; b0 += bc)
            {
                var local = p;
                local.M = rows;
                local.Batch = Math.Min(bc, p.Batch - b0);
                local.OffsetA = 0; local.OffsetB = 0; local.OffsetC = 0;
                long baseA = p.OffsetA + (long)b0 * p.StrideA + (p.TransA != 0 ? m0 : (long)m0 * p.Lda);
                long baseB = p.OffsetB + (long)b0 * p.StrideB;
                long baseC = p.OffsetC + (long)b0 * p.StrideC + (long)m0 * p.Ldc;
                var grid = edge > 0 ? new Index3D((p.N + edge - 1) / edge, (rows + edge - 1) / edge, local.Batch) : default;
                chunks.Add(new GemmChunk(baseA, baseB, baseC, local, grid));
            }
        }
        return chunks;
    }

    /// <summary>Largest batch count per launch: grid Z ≤ 65,535, and every operand's last index inside int32.</summary>
    static int BatchPerLaunch(in GemmParams p, int rows, int edge, int maxGridYZ)
    {
        long spanA = MatrixSpan(p.TransA != 0 ? p.K : rows, p.TransA != 0 ? rows : p.K, p.Lda);
        long spanB = MatrixSpan(p.TransB != 0 ? p.N : p.K, p.TransB != 0 ? p.K : p.N, p.Ldb);
        long spanC = MatrixSpan(rows, p.N, p.Ldc);
        long max = DeviceLimits.MaxLinearCount;
        if (spanA > max || spanB > max || spanC > max)
            throw new NotSupportedException($"one GEMM operand spans more than {max:N0} elements ({rows}×{p.N}×{p.K}); the kernels index in int32");
        long bc = edge > 0 ? maxGridYZ : Math.Max(1, max / ((long)rows * p.N));
        bc = Math.Min(bc, Fit(max, spanA, p.StrideA));
        bc = Math.Min(bc, Fit(max, spanB, p.StrideB));
        bc = Math.Min(bc, Fit(max, spanC, p.StrideC));
        return (int)Math.Max(1, Math.Min(bc, p.Batch));
    }

    /// <summary>How many batch entries of stride <paramref name="stride"/> fit with the last one's span below <paramref name="max"/>.</summary>
    static long Fit(long max, long span, int stride) => stride <= 0 ? long.MaxValue : (max - span) / stride + 1;

    static long MatrixSpan(long rows, long cols, int ld) => rows <= 0 || cols <= 0 ? 0 : (rows - 1) * ld + cols;
}
