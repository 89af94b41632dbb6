// Reference-counted device memory owned by a backend. Tensors and views share one Storage;
// memory is returned to the backend deterministically when the last owner releases it. A write version lets backends and
// ops keep values derived from a storage (packed or transformed weights, weight norms) for as long as it is unchanged.
namespace My3DGen.Engine.Backends;

/// <summary>A flat buffer of 4-byte elements (float32, or int32 stored bit-for-bit) on one backend.</summary>
public abstract class Storage
{
    int _refs = 1;
    long _version;
    /// <summary>The backend owning the memory.</summary>
    public IBackend Backend { get; }
    /// <summary>Number of elements.</summary>
    public long Length { get; }
    /// <summary>Current number of owners (tensors and views holding this storage).</summary>
    internal int Owners => Volatile.Read(ref _refs);
    /// <summary>True once the last owner released the memory.</summary>
    public bool IsReleased => Volatile.Read(ref _refs) <= 0;

    /// <summary>A storage of <paramref name="length"/> elements with one owner.</summary>
    protected Storage(IBackend backend, long length) { Backend = backend; Length = length; }

    /// <summary>Write version: 0 when allocated, bumped by every backend call that may overwrite existing contents (upload,
    /// fill, copy, optimiser steps and every op whose output can be a caller's older buffer: GEMM, elementwise, accumulating
    /// gradients). Op outputs written once into freshly allocated storage need no bump: nothing can have read them yet.</summary>
    internal long Version => Interlocked.Read(ref _version);

    /// <summary>Records that the contents may have changed (invalidates values derived from them).</summary>
    internal void MarkWritten() => Interlocked.Increment(ref _version);

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
        if (r != 0) return;
        DerivedCache.Forget(this);
        Free();
    }

    /// <summary>Returns the memory to the backend (called once, when the count reaches zero).</summary>
    protected abstract void Free();
}
