// Device discovery: TryCreate answers null (never throws) for kinds that are absent or not ILGPU's,
// and the CPU accelerator is always listed.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Engine.Tests.Ilgpu;

[TestFixture]
public sealed class IlgpuDeviceTests
{
    [Test]
    public void TryCreate_ManagedCpuIsNotAnIlgpuKind() => Assert.That(IlgpuBackend.TryCreate(BackendKind.ManagedCpu), Is.Null);

    [TestCase(BackendKind.Cuda)]
    [TestCase(BackendKind.OpenCL)]
    public void TryCreate_GpuKindsNeverThrow(BackendKind kind)
    {
        IlgpuBackend? b = null;
        Assert.DoesNotThrow(() => b = IlgpuBackend.TryCreate(kind));
        bool listed = IlgpuBackend.Available().Any(d => d.Kind == kind);
        Assert.That(b != null, Is.EqualTo(listed), $"TryCreate({kind}) and Available() disagree");
        b?.Dispose();
    }

    [Test]
    public void Available_AlwaysListsTheCpuAccelerator()
        => Assert.That(IlgpuBackend.Available().Select(d => d.Kind), Does.Contain(BackendKind.IlgpuCpu));
}
