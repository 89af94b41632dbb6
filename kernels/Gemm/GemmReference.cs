// Plain C# reference GEMM over GemmParams, accumulating in double.
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="GemmKernels"/>.</summary>
internal static class GemmReference
{
    /// <summary>C[b] = α·op(A[b])·op(B[b]) + β·C[b] with double accumulation.</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, in GemmParams p)
    {
        for (int bi = 0; bi < p.Batch; bi++)
            for (int m = 0; m < p.M; m++)
                for (int n = 0; n < p.N; n++)
                {
                    double acc = 0;
                    for (int k = 0; k < p.K; k++) acc += (double)a[p.IndexA(bi, m, k)] * b[p.IndexB(bi, k, n)];
                    int ci = p.IndexC(bi, m, n);
                    c[ci] = (float)(p.Beta == 0f ? p.Alpha * acc : p.Alpha * acc + (double)p.Beta * c[ci]);
                }
    }
}
