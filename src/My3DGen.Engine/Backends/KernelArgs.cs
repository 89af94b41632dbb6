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
    /// <summary>Square kernel, equal stride and padding on both axes.</summary>
    public ConvGeometry(int n, int c, int h, int w, int o, int kernel, int stride = 1, int pad = 0, int groups = 1)
        : this(n, c, h, w, o, kernel, kernel, stride, stride, pad, pad, groups) { }

    public int OH => (H + 2 * PadH - KH) / StrideH + 1;
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;
    public int CPerGroup => C / Groups;
    public int OPerGroup => O / Groups;
    public long InputLength => (long)N * C * H * W;
    public long WeightLength => (long)O * (C / Groups) * KH * KW;
    public long OutputLength => (long)N * O * OH * OW;
    /// <summary>2·N·O·(C/G)·KH·KW·OH·OW: multiply-adds of the forward pass counted as two flops.</summary>
    public double Flops => 2.0 * N * O * (C / Groups) * KH * KW * OH * OW;

    /// <summary>1×1, stride 1, no padding: the input image already is the im2col matrix.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Throws when sizes are non-positive, channels do not divide by groups or the kernel exceeds the padded input.</summary>
    public void Validate()
    {
        if (N < 0 || C <= 0 || H <= 0 || W <= 0 || O <= 0 || KH <= 0 || KW <= 0 || StrideH <= 0 || StrideW <= 0
            || PadH < 0 || PadW < 0 || Groups <= 0)
            throw new ArgumentOutOfRangeException(nameof(ConvGeometry), $"Invalid convolution geometry {this}.");
        if (C % Groups != 0 || O % Groups != 0)
            throw new ArgumentException($"Channels ({C} in, {O} out) must be divisible by groups ({Groups}).");
        if (OH <= 0 || OW <= 0) throw new ArgumentException($"Kernel larger than the padded input in {this}.");
    }
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
