// Device memory of the ILGPU backend: one float buffer (int32 data is stored bit for bit in the same
// buffer and read through ArrayView.Cast<int>). Freed storage goes back to the backend's buffer cache.
using ILGPU;
using ILGPU.Runtime;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>A <see cref="Storage"/> backed by a (possibly larger, bucketed) ILGPU buffer; <see cref="Storage.Length"/> elements are valid.</summary>
internal sealed class IlgpuStorage : Storage
{
    readonly IlgpuBackend _backend;

    internal IlgpuStorage(IlgpuBackend backend, MemoryBuffer1D<float, Stride1D.Dense> buffer, long length)
        : base(backend, length)
    {
        _backend = backend;
        Buffer = buffer;
    }

    /// <summary>The underlying buffer (capacity ≥ Length).</summary>
    internal MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; }

    /// <summary>The valid elements as a float view.</summary>
    internal ArrayView<float> View => Buffer.View.SubView(0, Math.Max(Length, 1));

    /// <summary>The valid elements reinterpreted as int32.</summary>
    internal ArrayView<int> IntView => View.Cast<int>();

    protected override void Free() => _backend.Cache.Return(Buffer);
}
