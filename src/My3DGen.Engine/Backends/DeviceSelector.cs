// Chooses the compute backend at run time: CUDA > OpenCL > managed CPU by default, or the one named
// by --device / the MY3DGEN_DEVICE environment variable (cpu | cuda | opencl | ilgpu-cpu | auto).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Engine.Backends;

/// <summary>The requested device is unknown or not present on this machine.</summary>
public sealed class DeviceUnavailableException(string message) : UserInputException(message);

/// <summary>Picks the compute backend from a device name (command line or environment).</summary>
public static class DeviceSelector
{
    /// <summary>Environment variable read when no device is given.</summary>
    public const string EnvironmentVariable = "MY3DGEN_DEVICE";
    /// <summary>The accepted device names.</summary>
    public static readonly string[] Names = ["auto", "cpu", "cuda", "opencl", "ilgpu-cpu"];

    /// <summary>Creates the backend for <paramref name="name"/> (null: the environment variable, else auto).</summary>
    public static IBackend Create(string? name = null)
    {
        name ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        name = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        switch (name)
        {
            case "cpu": return CpuBackend.Instance;
            case "cuda": return IlgpuBackend.TryCreate(BackendKind.Cuda) ?? throw Missing("cuda", "no CUDA device found (is the NVIDIA driver with libcuda.so.1 installed?)");
            case "opencl": return IlgpuBackend.TryCreate(BackendKind.OpenCL) ?? throw Missing("opencl", "no OpenCL device found (is libOpenCL.so.1 installed?)");
            case "ilgpu-cpu": return IlgpuBackend.TryCreate(BackendKind.IlgpuCpu) ?? throw Missing("ilgpu-cpu", "the ILGPU CPU accelerator could not be created");
            case "auto":
                return (IBackend?)IlgpuBackend.TryCreate(BackendKind.Cuda)
                    ?? (IBackend?)IlgpuBackend.TryCreate(BackendKind.OpenCL)
                    ?? CpuBackend.Instance;
            default:
                throw new DeviceUnavailableException($"unknown device '{name}' (choose one of {string.Join(", ", Names)})");
        }
    }

    static DeviceUnavailableException Missing(string name, string why) => new($"device '{name}': {why}");
}
