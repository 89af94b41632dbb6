// Host→device uploads that do not wait for the device queue: the data is copied into a page-locked host buffer
// and the device copy is enqueued on the in-order default stream behind the work already queued. The buffers stay
// alive until the next drain (a download or Synchronize), when they return to a pool keyed by length.
using ILGPU;
using ILGPU.Runtime;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Page-locked staging buffers for asynchronous uploads on one accelerator.</summary>
internal sealed class UploadStaging(Accelerator accelerator) : IDisposable
{
    /// <summary>Bytes of uploads in flight above which the next upload drains the queue first (bounds pinned memory).</summary>
    public const long MaxInFlightBytes = 256L << 20;

    readonly List<PageLockedArray1D<float>> _inFlight = [];
    readonly Dictionary<long, Stack<PageLockedArray1D<float>>> _free = [];
    long _inFlightBytes, _pooledBytes;

    /// <summary>Bytes currently staged for copies that may still be queued.</summary>
    public long InFlightBytes => _inFlightBytes;

    /// <summary>True when staging <paramref name="count"/> more elements would exceed <see cref="MaxInFlightBytes"/>.</summary>
    public bool NeedsDrainBefore(long count) => _inFlightBytes > 0 && _inFlightBytes + count * sizeof(float) > MaxInFlightBytes;

    /// <summary>Copies <paramref name="src"/> into a staging buffer and enqueues its copy into <paramref name="dst"/> on <paramref name="stream"/>.</summary>
    public void Enqueue(ReadOnlySpan<float> src, ArrayView<float> dst, AcceleratorStream stream)
    {
        var staged = Rent(src.Length);
        src.CopyTo(staged.Span);
        dst.AsDense().CopyFromPageLockedAsync(stream, staged);
        _inFlight.Add(staged);
        _inFlightBytes += (long)src.Length * sizeof(float);
    }

    /// <summary>Called after the queue has drained: every staged buffer is free again.</summary>
    public void Drained()
    {
        foreach (var b in _inFlight) Pool(b);
        _inFlight.Clear();
        _inFlightBytes = 0;
    }

    PageLockedArray1D<float> Rent(long length)
    {
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            _pooledBytes -= length * sizeof(float);
            return stack.Pop();
        }
        return accelerator.AllocatePageLocked1D<float>(length);
    }

    void Pool(PageLockedArray1D<float> b)
    {
        // Keep at most MaxInFlightBytes pooled; larger sets are released (pinned memory is a scarce resource).
        if (_pooledBytes + b.Length * sizeof(float) > MaxInFlightBytes) { b.Dispose(); return; }
        if (!_free.TryGetValue(b.Length, out var stack)) _free[b.Length] = stack = new Stack<PageLockedArray1D<float>>();
        stack.Push(b);
        _pooledBytes += b.Length * sizeof(float);
    }

    /// <summary>Frees every staging buffer (the queue must have drained).</summary>
    public void Dispose()
    {
        foreach (var b in _inFlight) b.Dispose();
        foreach (var s in _free.Values) foreach (var b in s) b.Dispose();
        _inFlight.Clear(); _free.Clear();
    }
}
