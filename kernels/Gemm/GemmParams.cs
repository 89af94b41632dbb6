// The one description of a batched row-major GEMM (C = α·op(A)·op(B) + β·C) and the index math of
// its operands, used by the tensor layer, both backends, every GEMM kernel and the reference.
namespace My3DGen.Kernels;

/// <summary>op(A) is [M,K], op(B) is [K,N], C is [M,N]; offsets, leading dimensions and batch strides in elements.
/// TransA/TransB are 0 or 1 (ints keep the struct trivially blittable). Beta = 0 overwrites C (NaNs in C ignored).</summary>
public struct GemmParams
{
    /// <summary>1 when A is stored transposed ([K,M]), else 0.</summary>
    public int TransA;
    /// <summary>1 when B is stored transposed ([N,K]), else 0.</summary>
    public int TransB;
    /// <summary>Rows of op(A) and C.</summary>
    public int M;
    /// <summary>Columns of op(B) and C.</summary>
    public int N;
    /// <summary>Columns of op(A), rows of op(B).</summary>
    public int K;
    /// <summary>Scale of the product.</summary>
    public float Alpha;
    /// <summary>Scale of the old C (0 overwrites).</summary>
    public float Beta;
    /// <summary>First element of A.</summary>
    public int OffsetA;
    /// <summary>Row pitch of stored A.</summary>
    public int Lda;
    /// <summary>Elements between batches of A (0 broadcasts A).</summary>
    public int StrideA;
    /// <summary>First element of B.</summary>
    public int OffsetB;
    /// <summary>Row pitch of stored B.</summary>
    public int Ldb;
    /// <summary>Elements between batches of B (0 broadcasts B).</summary>
    public int StrideB;
    /// <summary>First element of C.</summary>
    public int OffsetC;
    /// <summary>Row pitch of C.</summary>
    public int Ldc;
    /// <summary>Elements between batches of C.</summary>
    public int StrideC;
    /// <summary>Number of independent products.</summary>
    public int Batch;

    /// <summary>All parameters in the order of the BLAS call C = α·op(A)·op(B) + β·C.</summary>
    public static GemmParams Create(bool transA, bool transB, int m, int n, int k, float alpha,
        int offsetA, int lda, int strideA, int offsetB, int ldb, int strideB,
        float beta, int offsetC, int ldc, int strideC, int batch = 1) => new()
    {
        TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
        OffsetA = offsetA, Lda = lda, StrideA = strideA, OffsetB = offsetB, Ldb = ldb, StrideB = strideB,
        OffsetC = offsetC, Ldc = ldc, StrideC = strideC, Batch = batch,
    };

    /// <summary>Index of op(A)[m, k] in batch b.</summary>
    public readonly int IndexA(int b, int m, int k) => OffsetA + b * StrideA + (TransA != 0 ? k * Lda + m : m * Lda + k);

    /// <summary>Index of op(B)[k, n] in batch b.</summary>
    public readonly int IndexB(int b, int k, int n) => OffsetB + b * StrideB + (TransB != 0 ? n * Ldb + k : k * Ldb + n);

    /// <summary>Index of C[m, n] in batch b.</summary>
    public readonly int IndexC(int b, int m, int n) => OffsetC + b * StrideC + m * Ldc + n;

    /// <summary>The value to store given the accumulated dot product and the old C value.</summary>
    public readonly float Finish(float dot, float oldC) => Beta == 0f ? Alpha * dot : Alpha * dot + Beta * oldC;
}
