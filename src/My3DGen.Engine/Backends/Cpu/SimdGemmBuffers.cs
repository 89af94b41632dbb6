// Per-thread packing workspace for the GEMM driver: one pinned, 64-byte-aligned float block per thread for a task's
// packed blocks, and one per calling thread for B panels packed once and shared by every task of a call; grown on
// demand and reused across calls, so the hot path never allocates or pins.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmBuffers
{
    private struct Block
    {
        public float[]? Storage;
        public nint Aligned;
        public long Capacity;
    }

    [ThreadStatic] private static Block t_task;
    [ThreadStatic] private static Block t_shared;

    /// <summary>Returns an aligned scratch area of at least <paramref name="floats"/> floats owned by the calling thread.
    /// Valid until the next call on the same thread.</summary>
    public static float* Get(long floats) => Grow(ref t_task, floats);

    /// <summary>The calling thread's area for B panels shared by the tasks of one call (separate from <see cref="Get"/>,
    /// which the calling thread also uses while it runs tasks).</summary>
    public static float* GetShared(long floats) => Grow(ref t_shared, floats);

    private static float* Grow(ref Block b, long floats)
    {
        if (b.Storage is null || b.Capacity < floats)
        {
            long cap = Math.Max(floats, b.Capacity * 3 / 2);
            var arr = GC.AllocateUninitializedArray<float>(checked((int)(cap + 16)), pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(arr));
            b.Storage = arr;
            b.Aligned = (p + 63) & ~(nint)63;
            b.Capacity = cap;
        }
        return (float*)b.Aligned;
    }
}
