// Maps the native library names ILGPU asks for ("cuda", "nvcuda", "OpenCL", …) to the versioned
// sonames present on Linux systems without -dev packages (libcuda.so.1, libOpenCL.so.1).
// Installed once per process; any failure just means "no such device".
using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>DllImport resolver for the ILGPU assembly (Linux only; skipped on WSL, where ILGPU installs its own).</summary>
internal static class NativeLibraryResolver
{
    static int _installed;

    /// <summary>Installs the resolver once; safe to call repeatedly and from several threads.</summary>
    public static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref _installed, 1) != 0) return;
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            if (IsWsl()) return;
            NativeLibrary.SetDllImportResolver(typeof(Context).Assembly, Resolve);
        }
        catch (Exception)
        {
            // Another resolver is already installed for ILGPU, or the runtime refuses: keep default probing.
        }
    }

    static bool IsWsl()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Contains("microsoft", StringComparison.OrdinalIgnoreCase); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        string? soname = name.ToLowerInvariant() switch
        {
            "cuda" or "nvcuda" or "libcuda" or "libcuda.so" => "libcuda.so.1",
            "opencl" or "libopencl" or "libopencl.so" => "libOpenCL.so.1",
            _ => null,
        };
        if (soname == null) return IntPtr.Zero;
        return NativeLibrary.TryLoad(soname, out var handle) ? handle : IntPtr.Zero;
    }
}
