// Kernel-side 2-D pooling geometry over x [Planes, H, W] → y [Planes, OH, OW], mirroring the engine's PoolGeometry.
namespace My3DGen.Kernels;

/// <summary>Pooling geometry. Average pooling divides by KH·KW (count_include_pad); max pooling skips padding.</summary>
public struct PoolParams
{
    public int Planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW;

    /// <summary>Builds the parameters, computing OH and OW.</summary>
    public static PoolParams Create(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) => new()
    {
        Planes = planes, H = h, W = w, KH = kh, KW = kw, SH = sh, SW = sw, PH = ph, PW = pw,
        OH = (h + 2 * ph - kh) / sh + 1, OW = (w + 2 * pw - kw) / sw + 1,
    };

    /// <summary>Number of outputs.</summary>
    public readonly int OutCount => Planes * OH * OW;
    /// <summary>Number of inputs.</summary>
    public readonly int InCount => Planes * H * W;
}
