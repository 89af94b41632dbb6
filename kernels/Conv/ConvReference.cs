// Plain C# direct convolution (forward, input-gradient, weight-gradient) in double precision:
// the reference the im2col + GEMM path is checked against.
namespace My3DGen.Kernels;

/// <summary>Direct-loop reference convolution over <see cref="ConvGeometry"/> (all tensors contiguous NCHW).</summary>
internal static class ConvReference
{
    /// <summary>Visits every (n, o, oh, ow, ci, kh, kw) tap that lands inside the input, with flat x, w, y indices.</summary>
    static void ForEachTap(in ConvGeometry p, Action<int, int, int> tap)
    {
        int cg = p.CPerGroup, og = p.OPerGroup;
        for (int n = 0; n < p.N; n++)
            for (int o = 0; o < p.O; o++)
            {
                int g = o / og;
                for (int oh = 0; oh < p.OH; oh++)
                    for (int ow = 0; ow < p.OW; ow++)
                    {
                        int yi = ((n * p.O + o) * p.OH + oh) * p.OW + ow;
                        for (int ci = 0; ci < cg; ci++)
                            for (int kh = 0; kh < p.KH; kh++)
                                for (int kw = 0; kw < p.KW; kw++)
                                {
                                    int ih = oh * p.StrideH - p.PadH + kh, iw = ow * p.StrideW - p.PadW + kw;
                                    if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
                                    int xi = ((n * p.C + g * cg + ci) * p.H + ih) * p.W + iw;
                                    int wi = ((o * cg + ci) * p.KH + kh) * p.KW + kw;
                                    tap(xi, wi, yi);
                                }
                    }
            }
    }

    /// <summary>y = conv2d(x, w) + bias.</summary>
    public static float[] Forward(in ConvGeometry p, float[] x, float[] w, float[]? bias)
    {
        var acc = new double[p.N * p.O * p.OH * p.OW];
        ForEachTap(p, (xi, wi, yi) => acc[yi] += (double)x[xi] * w[wi]);
        if (bias != null)
            for (int i = 0; i < acc.Length; i++) acc[i] += bias[i / (p.OH * p.OW) % p.O];
        return Array.ConvertAll(acc, v => (float)v);
    }

    /// <summary>gx = ∂(Σ gy·y)/∂x.</summary>
    public static float[] BackwardInput(in ConvGeometry p, float[] gy, float[] w)
    {
        var acc = new double[p.N * p.C * p.H * p.W];
        ForEachTap(p, (xi, wi, yi) => acc[xi] += (double)gy[yi] * w[wi]);
        return Array.ConvertAll(acc, v => (float)v);
    }

    /// <summary>gw = ∂(Σ gy·y)/∂w.</summary>
    public static float[] BackwardWeight(in ConvGeometry p, float[] gy, float[] x)
    {
        var acc = new double[p.O * p.CPerGroup * p.KH * p.KW];
        ForEachTap(p, (xi, wi, yi) => acc[wi] += (double)gy[yi] * x[xi]);
        return Array.ConvertAll(acc, v => (float)v);
    }
}
