// Reference-counted device memory owned by a backend. Tensors and views share one Storage;
// memory is returned to the backend deterministically when the last owner releases it.
namespace My3DGen.Engine.Backends;

/// <summary>A flat buffer of 4-byte elements (float32, or int32 stored bit-for-bit) on one backend.</summary>
public abstract class Storage
{
    int _refs = 1;
    /// <summary>The backend owning the memory.</summary>
    public IBackend Backend { get; }
    /// <summary>Number of elements.</summary>
    public long Length { get; }
    /// <summary>True once the last owner released the memory.</summary>
    public bool IsReleased => Volatile.Read(ref _refs) <= 0;

    /// <summary>A storage of <paramref name="length"/> elements with one owner.</summary>
    protected Storage(IBackend backend, long length) { Backend = backend; Length = length; }

    /// <summary>Adds an owner (throws when already released).</summary>
    public void AddRef()
    {
        if (Interlocked.Increment(ref _refs) <= 1)
            throw new ObjectDisposedException(nameof(Storage), "storage was already released");
    }

    /// <summary>Drops an owner; the last one frees the memory.</summary>
    public void Release()
    {
        int r = Interlocked.Decrement(ref _refs);
        if (r == 0) Free();
    }

    /// <summary>Returns the memory to the backend (called once, when the count reaches zero).</summary>
    protected abstract void Free();
}
