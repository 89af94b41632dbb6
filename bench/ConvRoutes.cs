// The three ways the engine can compute the synthesis layers' modulated convs, for side-by-side bench rows: the kernel
// family (default), the composed route with EG3D's transposed up-conv, and the composed route with the older sub-pixel
// up-conv (four parity kernels). Each entry selects its route on the calling thread until disposed.
using My3DGen.Models.Synthesis;

namespace My3DGen.Bench;

internal static class ConvRoutes
{
    /// <summary>(name, select-on-this-thread) per route, the reference forms first.</summary>
    public static readonly (string Name, Func<IDisposable> Use)[] All =
    [
        ("sub-pixel", () => Both(ModConvKernelRoute.Use(ModConvRoute.Composed), ModulatedConv2d.UsePath(UpConvPath.SubPixel))),
        ("transposed", () => Both(ModConvKernelRoute.Use(ModConvRoute.Composed), ModulatedConv2d.UsePath(UpConvPath.Transposed))),
        ("kernels", () => ModConvKernelRoute.Use(ModConvRoute.Kernels)),
    ];

    static IDisposable Both(IDisposable a, IDisposable b) => new Pair(a, b);

    sealed class Pair(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose() { b.Dispose(); a.Dispose(); }
    }
}
