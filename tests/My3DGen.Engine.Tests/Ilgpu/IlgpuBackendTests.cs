// The ILGPU backend checks, written once against an abstract backend: the CPU-accelerator fixture
// runs them everywhere, the CUDA fixture ([Category("GPU")]) runs them when a CUDA device exists.
// Each op family's checks live in an IlgpuBackendTests.*.cs partial file.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Tests.Shared;

namespace My3DGen.Engine.Tests.Ilgpu;

/// <summary>Backend-agnostic ILGPU checks; subclasses choose the device.</summary>
public abstract partial class IlgpuBackendTests
{
    /// <summary>The backend under test (set in the subclass's OneTimeSetUp).</summary>
    protected IlgpuBackend B = null!;

    /// <summary>Returns the backend's kernel choices to Auto after each test.</summary>
    [TearDown]
    public void ResetKernelChoice()
    {
        if (B == null) return;
        B.GemmKernel = GemmKernelKind.Auto;
        B.ReduceKernel = ReduceKernelKind.Auto;
    }

    /// <summary>Releases every storage in <paramref name="storages"/>.</summary>
    protected static void Release(params Storage?[] storages)
    {
        foreach (var s in storages) s?.Release();
    }
}

/// <summary>All ILGPU checks on the ILGPU CPU accelerator (always available).</summary>
[TestFixture]
public sealed class IlgpuCpuBackendTests : IlgpuBackendTests
{
    [OneTimeSetUp]
    public void CreateBackend() => B = IlgpuTestBackend.Cpu;
}

/// <summary>All ILGPU checks on the first CUDA device; Ignored when there is none.</summary>
[TestFixture, Category("GPU")]
public sealed class IlgpuCudaBackendTests : IlgpuBackendTests
{
    [OneTimeSetUp]
    public void CreateBackend()
    {
        B = GpuTestGate.Require(IlgpuTestBackend.Cuda);
    }
}
