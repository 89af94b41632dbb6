// Storage of the managed CPU backend: a plain float[] on the managed heap; large arrays are recycled on release
// (CpuArrayRecycler).
namespace My3DGen.Engine.Backends.Cpu;

internal sealed class CpuStorage : Storage
{
    public float[] Data { get; }

    public CpuStorage(IBackend backend, long length) : base(backend, length)
    {
        if (length > Array.MaxLength) throw new OutOfMemoryException($"cannot allocate {length} floats on the CPU backend");
        Data = CpuArrayRecycler.Rent((int)length);
    }

    protected override void Free() => CpuArrayRecycler.Return(Data);
}
