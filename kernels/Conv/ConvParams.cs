// Kernel-side convolution geometry (dilation 1), mirroring the engine's ConvGeometry, plus the
// im2col row/column index math shared by the im2col and col2im kernels.
namespace My3DGen.Kernels;

/// <summary>x [N,C,H,W], w [O,C/Groups,KH,KW], y [N,O,OH,OW]. The im2col matrix of one sample is
/// [C·KH·KW, OH·OW], row (c·KH + kh)·KW + kw, column oh·OW + ow.</summary>
public struct ConvParams
{
    public int N, C, H, W, O, KH, KW, SH, SW, PH, PW, Groups, OH, OW;

    /// <summary>Builds the parameters, computing OH and OW.</summary>
    public static ConvParams Create(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int groups) => new()
    {
        N = n, C = c, H = h, W = w, O = o, KH = kh, KW = kw, SH = sh, SW = sw, PH = ph, PW = pw, Groups = groups,
        OH = (h + 2 * ph - kh) / sh + 1, OW = (w + 2 * pw - kw) / sw + 1,
    };

    /// <summary>Rows of the im2col matrix of one sample (all groups): C·KH·KW.</summary>
    public readonly int ColRows => C * KH * KW;
    /// <summary>Columns of the im2col matrix: OH·OW.</summary>
    public readonly int ColCols => OH * OW;
    /// <summary>Input channels per group.</summary>
    public readonly int CPerGroup => C / Groups;
    /// <summary>Output channels per group.</summary>
    public readonly int OPerGroup => O / Groups;
    /// <summary>True for a 1×1, stride-1, unpadded convolution, whose im2col matrix is the input itself.</summary>
    public readonly bool IsPointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;

    /// <summary>Index into one sample's im2col matrix.</summary>
    public readonly int ColIndex(int c, int kh, int kw, int oh, int ow) => ((c * KH + kh) * KW + kw) * (OH * OW) + oh * OW + ow;
}
