// The one description of the separable 4-tap FIR that finishes EG3D's ×2 up-conv (spec §3.5: the stride-2 transposed
// 3×3 conv is followed by the [1,3,3,1]/4 filter, padding 1): x [Planes, H, W] → y [Planes, OH, OW] with zero padding,
// optionally plus a per-channel bias. Its adjoint is the same filter with reversed taps and padding 3 − Pad.
namespace My3DGen.Kernels;

/// <summary>y[p, i, j] = Σ_{a,b} F[a]·F[b]·x[p, i + a − Pad, j + b − Pad] (x = 0 outside) (+ bias[p mod Channels]).</summary>
public readonly record struct FirGeometry
{
    /// <summary>Planes (N·C).</summary>
    public int Planes { get; }
    /// <summary>Channels C (the bias index is plane mod C).</summary>
    public int Channels { get; }
    /// <summary>Input height.</summary>
    public int H { get; }
    /// <summary>Input width.</summary>
    public int W { get; }
    /// <summary>Output height.</summary>
    public int OH { get; }
    /// <summary>Output width.</summary>
    public int OW { get; }
    /// <summary>Zero padding before the first input row/column.</summary>
    public int Pad { get; }
    /// <summary>Tap 0 (applied to the first input of the window).</summary>
    public float F0 { get; }
    /// <summary>Tap 1.</summary>
    public float F1 { get; }
    /// <summary>Tap 2.</summary>
    public float F2 { get; }
    /// <summary>Tap 3.</summary>
    public float F3 { get; }

    /// <summary>Builds the geometry from the sizes and the four taps (the same on both axes).</summary>
    public FirGeometry(int planes, int channels, int h, int w, int oh, int ow, int pad, float f0, float f1, float f2, float f3)
    {
        Planes = planes; Channels = channels; H = h; W = w; OH = oh; OW = ow; Pad = pad;
        F0 = f0; F1 = f1; F2 = f2; F3 = f3;
    }

    /// <summary>EG3D's [1,3,3,1] filter normalised to sum 1 per axis and multiplied by the ×2 up gain (2 per axis): [¼,¾,¾,¼].</summary>
    public static FirGeometry UpFilter(int planes, int channels, int h, int w, int oh, int ow, int pad) =>
        new(planes, channels, h, w, oh, ow, pad, 0.25f, 0.75f, 0.75f, 0.25f);

    /// <summary>The adjoint: maps an output gradient [Planes, OH, OW] back to [Planes, H, W] (reversed taps, padding 3 − Pad).</summary>
    public FirGeometry Adjoint() => new(Planes, Channels, OH, OW, H, W, 3 - Pad, F3, F2, F1, F0);

    /// <summary>Tap a (0..3).</summary>
    public float Tap(int a) => a == 0 ? F0 : a == 1 ? F1 : a == 2 ? F2 : F3;

    /// <summary>Elements of x.</summary>
    public long InputLength => (long)Planes * H * W;
    /// <summary>Elements of y.</summary>
    public long OutputLength => (long)Planes * OH * OW;

    /// <summary>Throws on non-positive sizes, a padding outside 0..3 or planes not divisible by channels.</summary>
    public void Validate()
    {
        if (Planes < 0 || Channels <= 0 || H <= 0 || W <= 0 || OH <= 0 || OW <= 0 || Pad < 0 || Pad > 3 || Planes % Channels != 0)
            throw new ArgumentException($"Invalid FIR geometry {this}.");
    }
}
