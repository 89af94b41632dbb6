// ILGPU kernel of the separable 4-tap FIR (FirGeometry): one thread per output pixel, 16 taps, zero padding by bounds
// checks, optional per-channel bias. Reference: FirReference.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>FIR kernels; reference: <see cref="FirReference"/>.</summary>
internal static class FirKernels
{
    /// <summary>y = FIR(x) (+ bias[plane mod Channels] when hasBias ≠ 0).</summary>
    public static void Apply(ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y, FirGeometry g, int hasBias)
    {
        long total = g.OutputLength;
        for (long t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int plane = (int)(t / ((long)g.OH * g.OW));
            int r = (int)(t - (long)plane * g.OH * g.OW), i = r / g.OW, j = r - i * g.OW;
            float s = 0f;
            for (int a = 0; a < 4; a++)
            {
                int ih = i + a - g.Pad;
                if (ih < 0 || ih >= g.H) continue;
                float fa = g.Tap(a);
                long row = ((long)plane * g.H + ih) * g.W;
                for (int b = 0; b < 4; b++)
                {
                    int iw = j + b - g.Pad;
                    if (iw >= 0 && iw < g.W) s += fa * g.Tap(b) * x[row + iw];
                }
            }
            if (hasBias != 0) s += bias[plane % g.Channels];
            y[t] = s;
        }
    }
}
