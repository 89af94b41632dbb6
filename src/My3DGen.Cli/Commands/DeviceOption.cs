// The shared --device option of every verb that computes (cpu | cuda | opencl | ilgpu-cpu | auto).
using System.CommandLine;
using My3DGen.Engine.Backends;

namespace My3DGen.Cli.Commands;

/// <summary>The --device option.</summary>
internal static class DeviceOption
{
    /// <summary>A new --device option.</summary>
    public static Option<string?> Create() => new("--device")
    {
        Description = $"compute device: {string.Join(" | ", DeviceSelector.Names)} (default: ${DeviceSelector.EnvironmentVariable} or auto = CUDA > OpenCL > CPU)",
    };
}
