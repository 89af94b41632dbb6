// Naive reference GEMM with double accumulation: the correctness oracle for SimdGemm in tests and the "naive" row of
// the kernel bench. Deliberately simple and slow; same contract as SimdGemm.Gemm (row-major, strided, beta == 0 overwrites).
namespace My3DGen.Engine.Backends.Cpu;

public static class SimdGemmReference
{
    public static void GemmReference(bool transA, bool transB, int M, int N, int K, float alpha,
        ReadOnlySpan<float> A, int lda, ReadOnlySpan<float> B, int ldb, float beta, Span<float> C, int ldc)
    {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double sum = 0;
                for (int k = 0; k < K; k++)
                {
                    double a = transA ? A[k * lda + i] : A[i * lda + k];
                    double b = transB ? B[j * ldb + k] : B[k * ldb + j];
                    sum += a * b;
                }
                double v = alpha * sum;
                if (beta != 0f) v += (double)beta * C[i * ldc + j];
                C[i * ldc + j] = (float)v;
            }
    }
}
