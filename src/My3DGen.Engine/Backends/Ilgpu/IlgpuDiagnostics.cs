// Why a GPU kind is or is not usable, in words a user can act on: for CUDA the device, its architecture, driver version,
// PTX ISA and fp32 peak; for every kind the underlying exception when the driver or context could not be created
// (TryCreate only answers null). Used by `my3dgen devices --verbose`, gpu-check and the GPU test gate.
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>What probing one ILGPU device kind found.</summary>
/// <param name="Kind">The device kind probed.</param>
/// <param name="Found">True when a device of this kind can be created.</param>
/// <param name="Name">Device name, or null.</param>
/// <param name="Details">Architecture, driver, PTX ISA, multiprocessors, clock, fp32 peak… (kind-specific keys).</param>
/// <param name="Error">The underlying error (type: message) when creation failed; "none found" when no device exists; null when found.</param>
public sealed record IlgpuProbe(BackendKind Kind, bool Found, string? Name, IReadOnlyDictionary<string, string> Details, string? Error);

public sealed partial class IlgpuBackend
{
    /// <summary>The error of the last <see cref="TryCreate"/> that returned null for a GPU kind ("type: message"), or null.</summary>
    public static string? LastCreateError { get; private set; }

    /// <summary>Probes CUDA and OpenCL: device details when present, the underlying error when not.</summary>
    public static IReadOnlyList<IlgpuProbe> Probe() => [ProbeKind(BackendKind.Cuda), ProbeKind(BackendKind.OpenCL)];

    static IlgpuProbe ProbeKind(BackendKind kind)
    {
        NativeLibraryResolver.EnsureInstalled();
        try
        {
            using var context = kind == BackendKind.Cuda ? Context.Create(b => b.Cuda()) : Context.Create(b => b.OpenCL());
            var device = context.Devices.FirstOrDefault(d => d.AcceleratorType != AcceleratorType.CPU);
            if (device == null) return new IlgpuProbe(kind, false, null, new Dictionary<string, string>(), NoneFoundReason(kind));
            var details = new Dictionary<string, string>
            {
                ["memory"] = $"{device.MemorySize / (1L << 20)} MiB",
                ["multiprocessors"] = device.NumMultiprocessors.ToString(),
                ["max threads per group"] = device.MaxNumThreadsPerGroup.ToString(),
            };
            if (device is CudaDevice cuda)
            {
                details["architecture"] = cuda.Architecture?.ToString() ?? "unknown";
                details["driver"] = cuda.DriverVersion.ToString();
                details["PTX ISA"] = cuda.InstructionSet?.ToString() ?? "unsupported by this ILGPU";
                details["clock"] = $"{cuda.ClockRate / 1000} MHz";
                double? peak = Fp32PeakGflops(cuda.Architecture, cuda.NumMultiprocessors, cuda.ClockRate);
                if (peak != null) details["fp32 peak"] = $"{peak:F0} GFLOP/s";
            }
            else if (device is CLDevice cl)
                details["OpenCL"] = cl.CVersion.ToString();
            return new IlgpuProbe(kind, true, device.Name, details, null);
        }
        catch (Exception e)
        {
            return new IlgpuProbe(kind, false, null, new Dictionary<string, string>(), $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>"none found", with the driver library that could not be loaded when that is why.</summary>
    static string NoneFoundReason(BackendKind kind)
    {
        string lib = kind == BackendKind.Cuda ? (OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1")
            : OperatingSystem.IsWindows() ? "OpenCL.dll" : "libOpenCL.so.1";
        if (!System.Runtime.InteropServices.NativeLibrary.TryLoad(lib, out var handle))
            return $"none found: {lib} could not be loaded (no {(kind == BackendKind.Cuda ? "NVIDIA driver" : "OpenCL ICD loader")} installed)";
        System.Runtime.InteropServices.NativeLibrary.Free(handle);
        return $"none found: {lib} loads but reports no device";
    }

    /// <summary>fp32 peak (GFLOP/s) = 2 · cores per SM · SMs · clock; null when the architecture's core count is unknown.</summary>
    public static double? Fp32PeakGflops(CudaArchitecture? arch, int multiprocessors, int clockKHz)
    {
        if (arch is not { } a) return null;
        int cores = a.Major switch { 7 => 64, 8 when a.Minor == 0 => 64, 8 => 128, 9 => 128, 10 or 12 => 128, 6 when a.Minor == 0 => 64, 6 => 128, _ => 0 };
        return cores == 0 ? null : 2.0 * cores * multiprocessors * clockKHz / 1e6;
    }
}
