// Reductions over the last axis of a contiguous [outer, inner] block: a per-row loop (one thread per
// row; best for small rows and on the CPU accelerator) and a shared-memory tree reduction (one group
// per row, power-of-two group size ≤ MaxGroup) for long rows on GPUs.
using ILGPU;
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Last-axis reduction kernels; reference: <see cref="ReduceReference"/>.</summary>
internal static class ReduceKernels
{
    /// <summary>Largest group size the tree kernel supports (its shared-memory array length).</summary>
    public const int MaxGroup = 256;

    /// <summary>Identity / combine of a <see cref="ReduceOp"/>.</summary>
    public static float Identity(int op) => op == (int)ReduceOp.Max ? float.NegativeInfinity : 0f;

    /// <summary>Combines two partial results.</summary>
    public static float Combine(int op, float acc, float v) => op == (int)ReduceOp.Max ? KernelMath.Max(acc, v) : acc + v;

    /// <summary>y[o] = reduce_i x[o·inner + i], one thread per row (grid-stride over rows).</summary>
    public static void RowLoop(ArrayView<float> x, ArrayView<float> y, int outer, int inner, int op)
    {
        for (int o = GridStride.Start; o < outer; o += GridStride.Step)
        {
            float acc = Identity(op);
            int baseIdx = o * inner;
            for (int i = 0; i < inner; i++) acc = Combine(op, acc, x[baseIdx + i]);
            y[o] = acc;
        }
    }

    /// <summary>y[o] = reduce_i x[o·inner + i], one group per row (grid-stride over rows), tree in shared memory.
    /// Group.DimX must be a power of two ≤ <see cref="MaxGroup"/>.</summary>
    public static void Tree(ArrayView<float> x, ArrayView<float> y, int outer, int inner, int op)
    {
        var shared = SharedMemory.Allocate<float>(MaxGroup);
        int t = Group.IdxX, dim = Group.DimX;
        for (int o = Grid.IdxX; o < outer; o += Grid.DimX)
        {
            float acc = Identity(op);
            int baseIdx = o * inner;
            for (int i = t; i < inner; i += dim) acc = Combine(op, acc, x[baseIdx + i]);
            shared[t] = acc;
            Group.Barrier();
            for (int s = dim / 2; s > 0; s >>= 1)
            {
                if (t < s) shared[t] = Combine(op, shared[t], shared[t + s]);
                Group.Barrier();
            }
            if (t == 0) y[o] = shared[0];
            Group.Barrier();
        }
    }
}
