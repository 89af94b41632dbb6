// The backends every op test runs on: the managed CPU backend always, plus the ILGPU CPU
// accelerator (kernel code executed on simulated GPU threads, small sizes only).
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Engine.Tests.Support;

public static class TestBackends
{
    public static IEnumerable<IBackend> All()
    {
        yield return CpuBackend.Instance;
        foreach (var b in Extra()) yield return b;
    }

    /// <summary>Backends beyond the managed CPU one available in this test run.</summary>
    public static IEnumerable<IBackend> Extra()
    {
        yield return Ilgpu.IlgpuTestBackend.Cpu;
    }
}
