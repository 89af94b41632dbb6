// Portable micro-kernel for CPUs without AVX2/AVX-512 (e.g. Arm NEON, old x86): a 4×8 tile of C in eight
// Vector128 accumulators, using MultiplyAddEstimate (fused where the hardware has FMA, mul+add otherwise).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmKernelPortable
{
    /// <summary>C[0..4, 0..8] = Ap·Bp + beta·C; Ap: kc×4 packed, Bp: kc×8 packed (see SimdGemmMicroKernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel4x8(float* a, float* b, int kc, float* c, nint ldc, float beta)
    {
        Vector128<float> c00 = default, c01 = default;
        Vector128<float> c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c00 = Vector128.MultiplyAddEstimate(a0, b0, c00); c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector128.Create(a[1]);
            c10 = Vector128.MultiplyAddEstimate(a1, b0, c10); c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector128.Create(a[2]);
            c20 = Vector128.MultiplyAddEstimate(a2, b0, c20); c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector128.Create(a[3]);
            c30 = Vector128.MultiplyAddEstimate(a3, b0, c30); c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
            a += 4;
            b += 8;
        }
        Store(c, c00, beta); Store(c + 4, c01, beta); c += ldc;
        Store(c, c10, beta); Store(c + 4, c11, beta); c += ldc;
        Store(c, c20, beta); Store(c + 4, c21, beta); c += ldc;
        Store(c, c30, beta); Store(c + 4, c31, beta);
    }

    /// <summary>Writes one accumulator vector: store (beta 0), add (beta 1) or scale-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector128<float> v, float beta)
    {
        if (beta == 0f) v.Store(c);
        else if (beta == 1f) (v + Vector128.Load(c)).Store(c);
        else Vector128.MultiplyAddEstimate(Vector128.Load(c), Vector128.Create(beta), v).Store(c);
    }
}
