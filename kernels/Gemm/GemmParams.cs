// Kernel-side description of a batched row-major GEMM (C = α·op(A)·op(B) + β·C) and the index
// math of its operands, shared by every GEMM kernel and by the reference.
namespace My3DGen.Kernels;

/// <summary>op(A) is [M,K], op(B) is [K,N], C is [M,N]; offsets, leading dimensions and batch strides in elements.
/// TransA/TransB are 0 or 1 (ints keep the struct trivially blittable). Beta = 0 overwrites C (NaNs in C ignored).</summary>
public struct GemmParams
{
    public int TransA, TransB, M, N, K;
    public float Alpha, Beta;
    public int OffsetA, Lda, StrideA, OffsetB, Ldb, StrideB, OffsetC, Ldc, StrideC, Batch;

    /// <summary>Index of op(A)[m, k] in batch b.</summary>
    public readonly int IndexA(int b, int m, int k) => OffsetA + b * StrideA + (TransA != 0 ? k * Lda + m : m * Lda + k);

    /// <summary>Index of op(B)[k, n] in batch b.</summary>
    public readonly int IndexB(int b, int k, int n) => OffsetB + b * StrideB + (TransB != 0 ? n * Ldb + k : k * Ldb + n);

    /// <summary>Index of C[m, n] in batch b.</summary>
    public readonly int IndexC(int b, int m, int n) => OffsetC + b * StrideC + m * Ldc + n;

    /// <summary>The value to store given the accumulated dot product and the old C value.</summary>
    public readonly float Finish(float dot, float oldC) => Beta == 0f ? Alpha * dot : Alpha * dot + Beta * oldC;
}
