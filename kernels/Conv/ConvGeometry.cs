// The one description of a 2-D convolution (dilation 1), used by the tensor layer, both backends,
// the ILGPU kernels and the reference, plus the im2col row/column index math.
namespace My3DGen.Kernels;

/// <summary>x [N,C,H,W], w [O,C/Groups,KH,KW], y [N,O,OH,OW]. The im2col matrix of one sample is
/// [C·KH·KW, OH·OW], row (c·KH + kh)·KW + kw, column oh·OW + ow. Immutable: OH and OW are computed once.</summary>
public readonly record struct ConvGeometry
{
    /// <summary>Batch size.</summary>
    public int N { get; }
    /// <summary>Input channels.</summary>
    public int C { get; }
    /// <summary>Input height.</summary>
    public int H { get; }
    /// <summary>Input width.</summary>
    public int W { get; }
    /// <summary>Output channels.</summary>
    public int O { get; }
    /// <summary>Kernel height.</summary>
    public int KH { get; }
    /// <summary>Kernel width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Zero padding above and below.</summary>
    public int PadH { get; }
    /// <summary>Zero padding left and right.</summary>
    public int PadW { get; }
    /// <summary>Channel groups (C and O divide by it).</summary>
    public int Groups { get; }
    /// <summary>Output height.</summary>
    public int OH { get; }
    /// <summary>Output width.</summary>
    public int OW { get; }

    /// <summary>General geometry; OH and OW follow from the sizes.</summary>
    public ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw, int strideH, int strideW, int padH, int padW, int groups)
    {
        N = n; C = c; H = h; W = w; O = o; KH = kh; KW = kw;
        StrideH = strideH; StrideW = strideW; PadH = padH; PadW = padW; Groups = groups;
        OH = strideH > 0 ? (h + 2 * padH - kh) / strideH + 1 : 0;
        OW = strideW > 0 ? (w + 2 * padW - kw) / strideW + 1 : 0;
    }

    /// <summary>Square kernel, equal stride and padding on both axes.</summary>
    public ConvGeometry(int n, int c, int h, int w, int o, int kernel, int stride = 1, int pad = 0, int groups = 1)
        : this(n, c, h, w, o, kernel, kernel, stride, stride, pad, pad, groups) { }

    /// <summary>Input channels per group.</summary>
    public int CPerGroup => C / Groups;
    /// <summary>Output channels per group.</summary>
    public int OPerGroup => O / Groups;
    /// <summary>Elements of x.</summary>
    public long InputLength => (long)N * C * H * W;
    /// <summary>Elements of w.</summary>
    public long WeightLength => (long)O * (C / Groups) * KH * KW;
    /// <summary>Elements of y.</summary>
    public long OutputLength => (long)N * O * OH * OW;
    /// <summary>2·N·O·(C/G)·KH·KW·OH·OW: multiply-adds of the forward pass counted as two flops.</summary>
    public double Flops => 2.0 * N * O * (C / Groups) * KH * KW * OH * OW;
    /// <summary>Rows of the im2col matrix of one sample (all groups): C·KH·KW.</summary>
    public int ColRows => C * KH * KW;
    /// <summary>Columns of the im2col matrix: OH·OW.</summary>
    public int ColCols => OH * OW;

    /// <summary>1×1, stride 1, no padding: the input image already is the im2col matrix.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Index into one sample's im2col matrix.</summary>
    public int ColIndex(int c, int kh, int kw, int oh, int ow) => ((c * KH + kh) * KW + kw) * (OH * OW) + oh * OW + ow;

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
