// Device selection: explicit names, the environment variable, and typed errors for unknown/missing devices.
using My3DGen.Engine.Backends;

namespace My3DGen.Engine.Tests.Ops;

public class DeviceSelectorTests
{
    [Test]
    public void NamesSelectBackends()
    {
        Assert.That(DeviceSelector.Create("cpu").Kind, Is.EqualTo(BackendKind.ManagedCpu));
        using var il = DeviceSelector.Create("ilgpu-cpu");
        Assert.That(il.Kind, Is.EqualTo(BackendKind.IlgpuCpu));
        var auto = DeviceSelector.Create("auto");
        Assert.That(auto.Kind, Is.AnyOf(BackendKind.Cuda, BackendKind.OpenCL, BackendKind.ManagedCpu));
        if (auto.Kind != BackendKind.ManagedCpu) auto.Dispose();
    }

    [Test]
    public void UnknownDeviceIsTyped()
    {
        var ex = Assert.Throws<DeviceUnavailableException>(() => DeviceSelector.Create("tpu"))!;
        Assert.That(ex.Message, Does.Contain("tpu").And.Contain("cuda"));
    }
}
