// Explicit, overridable choice between the simple kernels (fast on the ILGPU CPU accelerator, where
// barriers are simulated with OS threads) and the shared-memory kernels (for CUDA/OpenCL).
namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Which GEMM kernel the backend launches.</summary>
public enum GemmKernelKind
{
    /// <summary>Naive on the CPU accelerator; Blocked64 on GPUs (Tiled16 when M or N &lt; 64).</summary>
    Auto,
    /// <summary>One thread per output, no shared memory.</summary>
    Naive,
    /// <summary>16×16 shared-memory tiles, one output per thread.</summary>
    Tiled16,
    /// <summary>64×64 shared-memory blocks, 4×4 outputs per thread.</summary>
    Blocked64,
}

/// <summary>Which last-axis reduction kernel the backend launches.</summary>
public enum ReduceKernelKind
{
    /// <summary>RowLoop on the CPU accelerator; Tree on GPUs for rows of ≥ 256 elements.</summary>
    Auto,
    /// <summary>One thread per row.</summary>
    RowLoop,
    /// <summary>One group per row with a shared-memory tree.</summary>
    Tree,
}
