// Tiny-problem GEMM path: a direct triple loop over the strided operands (any transpose combination) with float
// accumulation. Used when M·N·K is so small that packing panels and waking worker threads would dominate.
namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmSmall
{
    public static void Run(in GemmProblem p)
    {
        // op(A)(i,k) = A[i*ai + k*ak]; op(B)(k,j) = B[k*bk + j*bj].
        long ai = p.TransA ? 1 : p.Lda, ak = p.TransA ? p.Lda : 1;
        long bk = p.TransB ? 1 : p.Ldb, bj = p.TransB ? p.Ldb : 1;
        for (int b = 0; b < p.Batch; b++)
        {
            float* A = p.A + b * p.StrideA, B = p.B + b * p.StrideB, C = p.C + b * p.StrideC;
            for (int i = 0; i < p.M; i++)
            {
                float* c = C + i * p.Ldc;
                for (int j = 0; j < p.N; j++)
                {
                    float sum = 0f;
                    float* a = A + i * ai, bb = B + j * bj;
                    for (int k = 0; k < p.K; k++) sum += a[k * ak] * bb[k * bk];
                    float v = p.Alpha * sum;
                    c[j] = p.Beta == 0f ? v : v + p.Beta * c[j];
                }
            }
        }
    }
}
