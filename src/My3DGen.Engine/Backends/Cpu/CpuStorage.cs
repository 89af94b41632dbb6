// Storage of the managed CPU backend: a plain float[] on the managed heap.
namespace My3DGen.Engine.Backends.Cpu;

internal sealed class CpuStorage : Storage
{
    public float[] Data { get; }

    public CpuStorage(IBackend backend, long length) : base(backend, length)
    {
        if (length > Array.MaxLength) throw new OutOfMemoryException($"cannot allocate {length} floats on the CPU backend");
        Data = GC.AllocateUninitializedArray<float>((int)length);
    }

    protected override void Free() { }
}
