// Plain C# reference of the fused tri-plane decode in double precision, written from the spec independently of
// TriplaneCore: per point and plane, the four grid_sample corners with zero padding, the plane mean, then the MLP.
namespace My3DGen.Kernels;

/// <summary>Reference for <see cref="TriplaneKernels"/> (planes channel-last [N,3,H,W,32]).</summary>
internal static class TriplaneReference
{
    /// <summary>Decoder outputs [points, 33]: σ raw, then sigmoid·1.002 − 0.001 of the 32 colour logits.</summary>
    public static double[] Decode(double[] planes, double[] dec, float[] rays, float[] depths, TriplaneParams p)
    {
        const int C = TriplaneLayout.Channels, Hd = TriplaneLayout.Hidden, O = TriplaneLayout.Outputs;
        var output = new double[(long)p.Points * O];
        for (int q = 0; q < p.Points; q++)
        {
            int ray = q / p.Samples, b = ray / p.RaysPerBatch;
            double t = depths[q];
            var pos = new double[3];
            for (int a = 0; a < 3; a++) pos[a] = p.Scale * ((double)rays[ray * 6 + a] + t * rays[ray * 6 + 3 + a]);
            (double U, double V)[] uv = [(pos[0], pos[1]), (pos[0], pos[2]), (pos[2], pos[0])];
            var f = new double[C];
            for (int plane = 0; plane < 3; plane++)
            {
                double ix = ((uv[plane].U + 1) * p.Width - 1) / 2, iy = ((uv[plane].V + 1) * p.Height - 1) / 2;
                double x0 = Math.Floor(ix), y0 = Math.Floor(iy);
                foreach (var (cx, cy, wgt) in new[] { (x0, y0, (x0 + 1 - ix) * (y0 + 1 - iy)), (x0 + 1, y0, (ix - x0) * (y0 + 1 - iy)),
                                                      (x0, y0 + 1, (x0 + 1 - ix) * (iy - y0)), (x0 + 1, y0 + 1, (ix - x0) * (iy - y0)) })
                {
                    if (cx < 0 || cx >= p.Width || cy < 0 || cy >= p.Height) continue;
                    long at = ((((long)b * 3 + plane) * p.Height + (int)cy) * p.Width + (int)cx) * C;
                    for (int c = 0; c < C; c++) f[c] += wgt * planes[at + c];
                }
            }
            for (int c = 0; c < C; c++) f[c] /= 3;
            var h = new double[Hd];
            for (int j = 0; j < Hd; j++)
            {
                double a = dec[TriplaneLayout.B1 + j];
                for (int i = 0; i < C; i++) a += dec[TriplaneLayout.W1 + j * C + i] * f[i];
                h[j] = a > 20 ? a : Math.Log(1 + Math.Exp(a));
            }
            for (int k = 0; k < O; k++)
            {
                double o = dec[TriplaneLayout.B2 + k];
                for (int j = 0; j < Hd; j++) o += dec[TriplaneLayout.W2 + k * Hd + j] * h[j];
                output[(long)q * O + k] = k == 0 ? o : 1.002 / (1 + Math.Exp(-o)) - 0.001;
            }
        }
        return output;
    }
}
