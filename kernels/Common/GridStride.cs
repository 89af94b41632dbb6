// Grid-stride loop bounds shared by every one-thread-per-element kernel. Kernels launched with an
// explicit (small) grid walk the whole index range; on the CPU accelerator this is ~7x faster than
// auto-grouping, and on GPUs it lets one launch configuration serve any size.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Start and step of a grid-stride loop over a 1-D range.</summary>
internal static class GridStride
{
    /// <summary>This thread's first index.</summary>
    public static int Start => Grid.GlobalIndex.X;

    /// <summary>Total number of threads in the (1-D) grid.</summary>
    public static int Step => Grid.DimX * Group.DimX;
}
