// IlgpuBackend: batched GEMM — argument checks, kernel choice (naive / 16×16 tiled / 64×64 blocked)
// and launch geometry (grid Z is the batch, split into chunks below the 65535 grid limit).
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    const int MaxGridZ = 65535;

    /// <inheritdoc/>
    public void Gemm(in GemmParams p, Storage a, Storage b, Storage c)
    {
        var sa = Own(a, "A"); var sb = Own(b, "B"); var sc = Own(c, "C");
        CheckGemm(p, sa, sb, sc);
        RunGemm(sa.View, sb.View, sc.View, p);
    }

    /// <summary>Launches the chosen GEMM kernel; operands are whole-storage views indexed by <paramref name="p"/>.</summary>
    internal void RunGemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        var kind = GemmKernel;
        if (kind == GemmKernelKind.Auto)
            kind = Kind == BackendKind.IlgpuCpu ? GemmKernelKind.Naive
                : p.M >= GemmKernels.Block && p.N >= GemmKernels.Block ? GemmKernelKind.Blocked64 : GemmKernelKind.Tiled16;
        if (kind == GemmKernelKind.Naive)
        {
            _kernels.GemmNaive.Value(_kernels.Linear((long)p.M * p.N * p.Batch), a, b, c, p);
            return;
        }
        int edge = kind == GemmKernelKind.Tiled16 ? GemmKernels.Tile : GemmKernels.Block;
        var kernel = kind == GemmKernelKind.Tiled16 ? _kernels.GemmTiled16.Value : _kernels.GemmBlocked64.Value;
        for (int b0 = 0; b0 < p.Batch; b0 += MaxGridZ)
        {
            var chunk = p;
            chunk.Batch = Math.Min(MaxGridZ, p.Batch - b0);
            chunk.OffsetA += b0 * p.StrideA; chunk.OffsetB += b0 * p.StrideB; chunk.OffsetC += b0 * p.StrideC;
            var grid = new Index3D((p.N + edge - 1) / edge, (p.M + edge - 1) / edge, chunk.Batch);
            kernel(new KernelConfig(grid, new Index3D(GemmKernels.Tile, GemmKernels.Tile, 1)), a, b, c, chunk);
        }
    }

    static void CheckGemm(in GemmParams p, Storage a, Storage b, Storage c)
    {
        if (p.M < 0 || p.N < 0 || p.K < 0 || p.Batch < 0) throw new ArgumentOutOfRangeException(nameof(GemmParams), "negative GEMM size");
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        long last = p.Batch - 1;
        // op(A) [M,K]: stored [M,K] (ld ≥ K) or [K,M] (ld ≥ M); similarly B; C is [M,N].
        long aRows = p.TransA != 0 ? p.K : p.M, aCols = p.TransA != 0 ? p.M : p.K;
        long bRows = p.TransB != 0 ? p.N : p.K, bCols = p.TransB != 0 ? p.K : p.N;
        if (p.K > 0)
        {
            NeedMatrix(a, p.OffsetA + last * p.StrideA, aRows, aCols, p.Lda, "A");
            NeedMatrix(b, p.OffsetB + last * p.StrideB, bRows, bCols, p.Ldb, "B");
        }
        NeedMatrix(c, p.OffsetC + last * p.StrideC, p.M, p.N, p.Ldc, "C");
    }

    static void NeedMatrix(Storage s, long lastOffset, long rows, long cols, int ld, string name)
    {
        if (ld < cols) throw new ArgumentException($"leading dimension of {name} ({ld}) is smaller than its {cols} columns", name);
        Need(s, lastOffset, (rows - 1) * ld + cols, name);
    }
}
