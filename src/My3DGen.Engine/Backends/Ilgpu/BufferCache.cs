// Caching allocator of the ILGPU backend: size-bucketed free lists of device buffers, so the tensor
// layer's many short-lived temporaries do not hit the driver allocator. Bucket sizes are 2^k and
// 3·2^(k−1) elements (≤ 33 % slack). On allocation failure the cache is emptied and the allocation retried.
using ILGPU;
using ILGPU.Runtime;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Size-bucketed free lists of float buffers on one accelerator.</summary>
internal sealed class BufferCache : IDisposable
{
    const long MinBucket = 64;
    readonly Accelerator _accelerator;
    readonly Dictionary<long, Stack<MemoryBuffer1D<float, Stride1D.Dense>>> _free = new();
    readonly object _lock = new();
    bool _disposed;

    public BufferCache(Accelerator accelerator) => _accelerator = accelerator;

    /// <summary>Bytes held in free lists (not in use).</summary>
    public long CachedBytes { get; private set; }

    /// <summary>The bucket capacity (in elements) used for a request of <paramref name="count"/> elements.</summary>
    public static long BucketFor(long count)
    {
        if (count <= MinBucket) return MinBucket;
        long pow = 1L << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(count - 1)));
        long threeQuarter = pow / 4 * 3;
        return count <= threeQuarter ? threeQuarter : pow;
    }

    /// <summary>A buffer of at least <paramref name="count"/> elements; contents undefined.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Rent(long count)
    {
        long cap = BucketFor(count);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_free.TryGetValue(cap, out var stack) && stack.Count > 0)
            {
                CachedBytes -= cap * sizeof(float);
                return stack.Pop();
            }
        }
        try { return _accelerator.Allocate1D<float>(cap); }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException)
        {
            Trim();
            return _accelerator.Allocate1D<float>(cap);
        }
    }

    /// <summary>Returns a buffer to its free list (disposes it if the cache is gone).</summary>
    public void Return(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        lock (_lock)
        {
            if (_disposed) { buffer.Dispose(); return; }
            long cap = buffer.Length;
            if (!_free.TryGetValue(cap, out var stack)) _free[cap] = stack = new();
            stack.Push(buffer);
            CachedBytes += cap * sizeof(float);
        }
    }

    /// <summary>Frees every cached (unused) buffer.</summary>
    public void Trim()
    {
        lock (_lock)
        {
            foreach (var stack in _free.Values)
                while (stack.Count > 0) stack.Pop().Dispose();
            CachedBytes = 0;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            Trim();
            _disposed = true;
        }
    }
}
