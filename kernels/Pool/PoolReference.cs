// Plain C# pooling reference: direct window loops forward, scatter-style gradients (the opposite
// traversal to the kernels' gathers, so the two check each other).
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="PoolKernels"/>.</summary>
internal static class PoolReference
{
    /// <summary>Max pooling; returns y and the flat input index of each window's first maximum.</summary>
    public static (float[] Y, int[] Argmax) MaxForward(float[] x, in PoolGeometry p)
    {
        var y = new float[p.OutCount]; var am = new int[p.OutCount];
        for (int pl = 0; pl < p.Planes; pl++)
            for (int oh = 0; oh < p.OH; oh++)
                for (int ow = 0; ow < p.OW; ow++)
                {
                    float best = float.NegativeInfinity; int bi = -1;
                    for (int kh = 0; kh < p.KH; kh++)
                        for (int kw = 0; kw < p.KW; kw++)
                        {
                            int ih = oh * p.StrideH - p.PadH + kh, iw = ow * p.StrideW - p.PadW + kw;
                            if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
                            int xi = (pl * p.H + ih) * p.W + iw;
                            if (bi < 0 || x[xi] > best) { best = x[xi]; bi = xi; }
                        }
                    int o = (pl * p.OH + oh) * p.OW + ow;
                    y[o] = best; am[o] = bi;
                }
        return (y, am);
    }

    /// <summary>Average pooling (count_include_pad) in double.</summary>
    public static float[] AvgForward(float[] x, in PoolGeometry p)
    {
        var y = new float[p.OutCount];
        for (int pl = 0; pl < p.Planes; pl++)
            for (int oh = 0; oh < p.OH; oh++)
                for (int ow = 0; ow < p.OW; ow++)
                {
                    double s = 0;
                    for (int kh = 0; kh < p.KH; kh++)
                        for (int kw = 0; kw < p.KW; kw++)
                        {
                            int ih = oh * p.StrideH - p.PadH + kh, iw = ow * p.StrideW - p.PadW + kw;
                            if (ih >= 0 && ih < p.H && iw >= 0 && iw < p.W) s += x[(pl * p.H + ih) * p.W + iw];
                        }
                    y[(pl * p.OH + oh) * p.OW + ow] = (float)(s / (p.KH * p.KW));
                }
        return y;
    }

    /// <summary>Max pooling gradient: scatter gy to the argmax positions.</summary>
    public static float[] MaxBackward(float[] gy, int[] argmax, in PoolGeometry p)
    {
        var gx = new double[p.InCount];
        for (int o = 0; o < gy.Length; o++) if (argmax[o] >= 0) gx[argmax[o]] += gy[o];
        return Array.ConvertAll(gx, v => (float)v);
    }

    /// <summary>Average pooling gradient: scatter gy/(KH·KW) to every in-bounds tap.</summary>
    public static float[] AvgBackward(float[] gy, in PoolGeometry p)
    {
        var gx = new double[p.InCount];
        for (int pl = 0; pl < p.Planes; pl++)
            for (int oh = 0; oh < p.OH; oh++)
                for (int ow = 0; ow < p.OW; ow++)
                {
                    double g = gy[(pl * p.OH + oh) * p.OW + ow] / (double)(p.KH * p.KW);
                    for (int kh = 0; kh < p.KH; kh++)
                        for (int kw = 0; kw < p.KW; kw++)
                        {
                            int ih = oh * p.StrideH - p.PadH + kh, iw = ow * p.StrideW - p.PadW + kw;
                            if (ih >= 0 && ih < p.H && iw >= 0 && iw < p.W) gx[(pl * p.H + ih) * p.W + iw] += g;
                        }
                }
        return Array.ConvertAll(gx, v => (float)v);
    }
}
