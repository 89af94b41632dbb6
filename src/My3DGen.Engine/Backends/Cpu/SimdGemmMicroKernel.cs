// Micro-kernel descriptors and selection: each kernel computes one MR×NR tile of C from packed panels of A (MR rows,
// k-major) and B (NR columns, k-major) and carries the cache blocking (KC/MC/NC) tuned for it. The best kernel the CPU
// supports is picked once; tests may swap Active to exercise the fallbacks.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace My3DGen.Engine.Backends.Cpu;

/// <summary>
/// Kernel signature: (packedA, packedB, kc, C, ldc, beta) computes C[0..MR, 0..NR] = Ap·Bp + beta·C over kc steps,
/// where beta == 0 stores without reading C. Ap holds kc groups of MR floats, Bp kc groups of NR floats.
/// </summary>
internal sealed unsafe class SimdGemmMicroKernel
{
    public required string Name { get; init; }
    public required int MR { get; init; }
    public required int NR { get; init; }
    /// <summary>Depth of one packed block: a KC×NR B micro-panel should sit in L1.</summary>
    public required int KC { get; init; }
    /// <summary>Largest number of C rows per task (MC×KC packed A block lives in L2).</summary>
    public required int MC { get; init; }
    /// <summary>Largest number of C columns per task (KC×NC packed B block lives in L2).</summary>
    public required int NC { get; init; }
    public required delegate*<float*, float*, int, float*, nint, float, void> Fn { get; init; }

    public static readonly SimdGemmMicroKernel Avx512Kernel = new()
    {
        Name = "avx512 8x32", MR = 8, NR = 32, KC = 256, MC = 256, NC = 1024, Fn = &SimdGemmKernelAvx512.Kernel8x32,
    };

    public static readonly SimdGemmMicroKernel Avx2Kernel = new()
    {
        Name = "avx2 6x16", MR = 6, NR = 16, KC = 256, MC = 192, NC = 1024, Fn = &SimdGemmKernelAvx2.Kernel6x16,
    };

    public static readonly SimdGemmMicroKernel PortableKernel = new()
    {
        Name = "vector128 4x8", MR = 4, NR = 8, KC = 256, MC = 128, NC = 512, Fn = &SimdGemmKernelPortable.Kernel4x8,
    };

    /// <summary>The kernel the driver uses; settable (internal) so tests can run the fallbacks on an AVX-512 machine.</summary>
    public static SimdGemmMicroKernel Active { get; internal set; } = Select();

    /// <summary>Kernels that can run on this CPU, fastest first.</summary>
    public static IEnumerable<SimdGemmMicroKernel> Supported()
    {
        if (Avx512F.IsSupported) yield return Avx512Kernel;
        if (Avx2.IsSupported && Fma.IsSupported) yield return Avx2Kernel;
        yield return PortableKernel;
    }

    private static SimdGemmMicroKernel Select() => Supported().First();
}
