// Reuse of the managed CPU backend's float arrays: a released storage of at least 16 KB goes into a bin of its exact
// length (up to a byte cap) and the next allocation of that length takes it back, so repeated work of the same shapes (a
// render, a training step) stops touching fresh pages: on the first write each fresh page costs the kernel a fault and a
// clear, which showed up as the largest single cost of the CPU render. From 16 KB, not 1 MB: arrays of 85 KB and more
// come from the GC's large-object heap, where a fresh one cost ~0.5 ms each (a 512×8×8 conv's 128 KB gradients took 0.6 ms
// per elementwise op). Smaller arrays stay with the GC.
namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuArrayRecycler
{
    /// <summary>Arrays shorter than this (16 KB) are not recycled.</summary>
    const int MinLength = 1 << 12;
    static readonly long CapBytes = Math.Min(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);
    static readonly Dictionary<int, Stack<float[]>> Bins = new();
    static long _heldBytes;

    /// <summary>An uninitialised array of <paramref name="length"/> floats, recycled when one of that length is held.</summary>
    public static float[] Rent(int length)
    {
        if (length >= MinLength)
            lock (Bins)
                if (Bins.TryGetValue(length, out var bin) && bin.Count > 0)
                {
                    _heldBytes -= 4L * length;
                    return bin.Pop();
                }
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Takes back an array nobody uses any more (kept while the cap allows, else left to the GC).</summary>
    public static void Return(float[] array)
    {
        if (array.Length < MinLength) return;
        lock (Bins)
        {
            if (_heldBytes + 4L * array.Length > CapBytes) return;
            if (!Bins.TryGetValue(array.Length, out var bin)) Bins[array.Length] = bin = new Stack<float[]>();
            bin.Push(array);
            _heldBytes += 4L * array.Length;
        }
    }
}
