// Argument records for the structured primitives (GEMM, convolution, pooling, axis resampling, Adam).
// Each backend receives exactly these, so the tensor layer builds them once per call.
namespace My3DGen.Engine.Backends;

/// <summary>Batched row-major GEMM: C[b] = Alpha·op(A[b])·op(B[b]) + Beta·C[b]; Beta = 0 overwrites C.
/// op(A) is [M,K], op(B) is [K,N], C is [M,N]. Offsets and batch strides are in elements.</summary>
public readonly record struct GemmArgs(
    bool TransA, bool TransB, int M, int N, int K, float Alpha,
    Storage A, int OffsetA, int Lda, int StrideA,
    Storage B, int OffsetB, int Ldb, int StrideB,
    float Beta, Storage C, int OffsetC, int Ldc, int StrideC, int Batch = 1);

/// <summary>Geometry of a 2-D convolution (dilation 1): x [N,C,H,W], w [O,C/G,KH,KW], y [N,O,OH,OW].</summary>
public readonly record struct ConvGeometry(
    int N, int C, int H, int W, int O, int KH, int KW,
    int StrideH, int StrideW, int PadH, int PadW, int Groups)
{
    public int OH => (H + 2 * PadH - KH) / StrideH + 1;
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;
    public int CPerGroup => C / Groups;
    public int OPerGroup => O / Groups;
    public long Flops => 2L * N * O * OH * OW * CPerGroup * KH * KW;
}

/// <summary>Geometry of 2-D pooling over x [N·C, H, W] → y [N·C, OH, OW]. Average pooling counts padding
/// (PyTorch's count_include_pad=True); max pooling ignores padded positions.</summary>
public readonly record struct PoolGeometry(int Planes, int H, int W, int KH, int KW, int StrideH, int StrideW, int PadH, int PadW)
{
    public int OH => (H + 2 * PadH - KH) / StrideH + 1;
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;
}

/// <summary>A sparse 1-D resampling matrix in CSR form: output row r takes Σ_k Weights[k]·in[Indices[k]]
/// for k in [RowStart[r], RowStart[r+1]). Used for bilinear (optionally antialiased) resize and its transpose.</summary>
public sealed record AxisWeights(int InLength, int OutLength, int[] RowStart, int[] Indices, float[] Weights);

/// <summary>Hyper-parameters of one Adam step with PyTorch's exact update rule.</summary>
public readonly record struct AdamArgs(float LearningRate, float Beta1, float Beta2, float Eps, float WeightDecay, int Step);
