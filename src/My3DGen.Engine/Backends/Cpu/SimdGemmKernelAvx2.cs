// AVX2+FMA micro-kernel: a 6×16 tile of C in 12 ymm accumulators (plus 2 B vectors and 1 broadcast = 15 of 16
// registers). Fallback for CPUs without AVX-512.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmKernelAvx2
{
    /// <summary>C[0..6, 0..16] = Ap·Bp + beta·C; Ap: kc×6 packed, Bp: kc×16 packed (see SimdGemmMicroKernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(float* a, float* b, int kc, float* c, nint ldc, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10); c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20); c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30); c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40); c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50); c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        Store(c, c00, beta); Store(c + 8, c01, beta); c += ldc;
        Store(c, c10, beta); Store(c + 8, c11, beta); c += ldc;
        Store(c, c20, beta); Store(c + 8, c21, beta); c += ldc;
        Store(c, c30, beta); Store(c + 8, c31, beta); c += ldc;
        Store(c, c40, beta); Store(c + 8, c41, beta); c += ldc;
        Store(c, c50, beta); Store(c + 8, c51, beta);
    }

    /// <summary>Writes one accumulator vector: store (beta 0), add (beta 1) or fused scale-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v, float beta)
    {
        if (beta == 0f) v.Store(c);
        else if (beta == 1f) (v + Vector256.Load(c)).Store(c);
        else Fma.MultiplyAdd(Vector256.Load(c), Vector256.Create(beta), v).Store(c);
    }
}
