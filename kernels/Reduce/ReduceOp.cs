// The reductions over the last axis, shared by the engine (ReduceLastAxis) and the kernels.
namespace My3DGen.Kernels;

/// <summary>Reductions over the last axis of a contiguous [outer, inner] view.</summary>
public enum ReduceOp
{
    /// <summary>Σ x.</summary>
    Sum,
    /// <summary>max x (NaN-propagating).</summary>
    Max,
}
