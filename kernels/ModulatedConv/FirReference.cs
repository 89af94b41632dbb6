// Plain C# reference of the separable 4-tap FIR (FirGeometry): the definition, loop by loop, for kernel tests.
namespace My3DGen.Kernels;

/// <summary>Reference for <see cref="FirKernels"/> and the CPU backend's vectorised FIR.</summary>
public static class FirReference
{
    /// <summary>y = FIR(x) (+ bias[plane mod Channels] when bias is non-empty); y overwritten.</summary>
    public static void Apply(in FirGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int p = 0; p < g.Planes; p++)
            for (int i = 0; i < g.OH; i++)
                for (int j = 0; j < g.OW; j++)
                {
                    double s = bias.IsEmpty ? 0 : bias[p % g.Channels];
                    for (int a = 0; a < 4; a++)
                    {
                        int ih = i + a - g.Pad;
                        if (ih < 0 || ih >= g.H) continue;
                        for (int b = 0; b < 4; b++)
                        {
                            int iw = j + b - g.Pad;
                            if (iw >= 0 && iw < g.W) s += (double)g.Tap(a) * g.Tap(b) * x[(p * g.H + ih) * g.W + iw];
                        }
                    }
                    y[(p * g.OH + i) * g.OW + j] = (float)s;
                }
    }
}
