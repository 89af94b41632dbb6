// The one description of 2-D pooling over x [Planes, H, W] → y [Planes, OH, OW], used by the tensor
// layer, both backends, the ILGPU kernels and the reference.
namespace My3DGen.Kernels;

/// <summary>Pooling kinds.</summary>
public enum PoolKind
{
    /// <summary>Maximum over the window (padding ignored).</summary>
    Max,
    /// <summary>Mean over the window, padding counted as zeros (count_include_pad=True).</summary>
    Average,
}

/// <summary>Pooling geometry. Average pooling divides by KH·KW (count_include_pad); max pooling skips padding.
/// Immutable: OH and OW are computed once.</summary>
public readonly record struct PoolGeometry
{
    /// <summary>Planes (N·C).</summary>
    public int Planes { get; }
    /// <summary>Input height.</summary>
    public int H { get; }
    /// <summary>Input width.</summary>
    public int W { get; }
    /// <summary>Window height.</summary>
    public int KH { get; }
    /// <summary>Window width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Padding above and below.</summary>
    public int PadH { get; }
    /// <summary>Padding left and right.</summary>
    public int PadW { get; }
    /// <summary>Output height.</summary>
    public int OH { get; }
    /// <summary>Output width.</summary>
    public int OW { get; }

    /// <summary>Builds the geometry; OH and OW follow from the sizes.</summary>
    public PoolGeometry(int planes, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW)
    {
        Planes = planes; H = h; W = w; KH = kh; KW = kw; StrideH = strideH; StrideW = strideW; PadH = padH; PadW = padW;
        OH = strideH > 0 ? (h + 2 * padH - kh) / strideH + 1 : 0;
        OW = strideW > 0 ? (w + 2 * padW - kw) / strideW + 1 : 0;
    }

    /// <summary>Number of outputs.</summary>
    public int OutCount => Planes * OH * OW;
    /// <summary>Number of inputs.</summary>
    public int InCount => Planes * H * W;
}
