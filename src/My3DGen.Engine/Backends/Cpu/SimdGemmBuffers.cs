// Per-thread packing workspace for the GEMM driver: one pinned, 64-byte-aligned float block per thread, grown on
// demand and reused across calls, so the hot path never allocates or pins.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmBuffers
{
    [ThreadStatic] private static float[]? t_storage;
    [ThreadStatic] private static nint t_aligned;
    [ThreadStatic] private static long t_capacity;

    /// <summary>Returns an aligned scratch area of at least <paramref name="floats"/> floats owned by the calling thread.
    /// Valid until the next call on the same thread.</summary>
    public static float* Get(long floats)
    {
        if (t_storage is null || t_capacity < floats)
        {
            long cap = Math.Max(floats, t_capacity * 3 / 2);
            var arr = GC.AllocateUninitializedArray<float>(checked((int)(cap + 16)), pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(arr));
            t_storage = arr;
            t_aligned = (p + 63) & ~(nint)63;
            t_capacity = cap;
        }
        return (float*)t_aligned;
    }
}
