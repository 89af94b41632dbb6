// IlgpuBackend: batched GEMM — argument checks, kernel choice (naive / 16×16 tiled / 64×64 blocked)
// and launch geometry (GemmLaunchPlan: batch on grid Z and row tiles on grid Y, both split below 65,535).
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams p, Storage a, Storage b, Storage c)
    {
        c.MarkWritten();
        var sa = Own(a, "A"); var sb = Own(b, "B"); var sc = Own(c, "C");
        CheckGemm(p, sa, sb, sc);
        RunGemm(sa.View, sb.View, sc.View, p);
    }

    /// <summary>Launches the chosen GEMM kernel; operands are whole-storage views indexed by <paramref name="p"/>.
    /// The launches follow <see cref="GemmLaunchPlan"/>: grid Y/Z within 65,535 and int32 index math per chunk.</summary>
    internal void RunGemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        var kind = ChooseGemm(p);
        int edge = kind switch { GemmKernelKind.Naive => 0, GemmKernelKind.Tiled16 => GemmKernels.Tile, _ => GemmKernels.Block };
        var kernel = kind switch
        {
            GemmKernelKind.Naive => null,
            GemmKernelKind.Tiled16 => _kernels.GemmTiled16.Value,
            _ => _kernels.GemmBlocked64.Value,
        };
        foreach (var chunk in GemmLaunchPlan.Plan(p, edge, MaxGridYZ))
        {
            var ca = a.SubView(chunk.BaseA, a.Length - chunk.BaseA);
            var cb = b.SubView(chunk.BaseB, b.Length - chunk.BaseB);
            var cc = c.SubView(chunk.BaseC, c.Length - chunk.BaseC);
            var lp = chunk.Local;
            if (kernel == null) _kernels.GemmNaive.Value(_kernels.Linear((long)lp.M * lp.N * lp.Batch), ca, cb, cc, lp);
            else kernel(new KernelConfig(chunk.Grid, new Index3D(GemmKernels.Tile, GemmKernels.Tile, 1)), ca, cb, cc, lp);
        }
    }

    /// <summary>Grid Y/Z limit the GEMM launches are planned against (CUDA's 65,535; lowered by tests so the CPU
    /// accelerator can run a split launch at a small size).</summary>
    internal int MaxGridYZ { get; set; } = DeviceLimits.MaxGridYZ;

    /// <summary>The GEMM kernel <see cref="GemmKernel"/> selects for <paramref name="p"/> on this device.</summary>
    internal GemmKernelKind ChooseGemm(in GemmParams p) => GemmKernel != GemmKernelKind.Auto ? GemmKernel
        : Kind == BackendKind.IlgpuCpu ? GemmKernelKind.Naive
        : p.M >= GemmKernels.Block && p.N >= GemmKernels.Block ? GemmKernelKind.Blocked64 : GemmKernelKind.Tiled16;

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
