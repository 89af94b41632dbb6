// Plain C# reference of MipRayMarcher2 in double precision, as EG3D composes it: concatenate the two sample lists,
// sort each ray by depth (stable, coarse first), midpoints, softplus(σ−1), α, T as a cumulative product, weights,
// composites, depth = Σw·t̄/Σw (NaN → +∞) clamped to the min/max over all depths, features·2 − 1.
namespace My3DGen.Kernels;

/// <summary>Reference for <see cref="RayMarchKernels.Forward"/>.</summary>
internal static class RayMarchReference
{
    /// <summary>Outputs [rays, 33] (32 features, depth) and weights [rays, K−1].</summary>
    public static (double[] Output, double[] Weights) March(double[] sc, float[] dc, double[]? sf, float[]? df, RayMarchParams p)
    {
        const int C = RayMarchLayout.Channels, S = RayMarchLayout.SampleRow;
        int k = p.Total, k1 = k - 1;
        var output = new double[p.Rays * RayMarchLayout.OutputRow];
        var weights = new double[p.Rays * k1];
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var t in dc.Concat(df ?? [])) { lo = Math.Min(lo, t); hi = Math.Max(hi, t); }
        for (int r = 0; r < p.Rays; r++)
        {
            var samples = Enumerable.Range(0, p.Coarse).Select(i => (T: (double)dc[r * p.Coarse + i], Src: sc, Row: r * p.Coarse + i))
                .Concat(Enumerable.Range(0, p.Fine).Select(i => (T: (double)df![r * p.Fine + i], Src: sf!, Row: r * p.Fine + i)))
                .OrderBy(s => s.T).ToArray();
            double trans = 1, total = 0, num = 0;
            var rgb = new double[C];
            for (int i = 0; i < k1; i++)
            {
                var a = samples[i]; var b = samples[i + 1];
                double delta = b.T - a.T;
                double x = (a.Src[a.Row * S] + b.Src[b.Row * S]) / 2 - 1;
                double sigma = x > 20 ? x : Math.Log(1 + Math.Exp(x));
                double alpha = 1 - Math.Exp(-sigma * delta);
                double w = alpha * trans;
                trans *= 1 - alpha + 1e-10;
                weights[r * k1 + i] = w;
                for (int c = 0; c < C; c++) rgb[c] += w * (a.Src[a.Row * S + 1 + c] + b.Src[b.Row * S + 1 + c]) / 2;
                total += w;
                num += w * (a.T + b.T) / 2;
            }
            for (int c = 0; c < C; c++) output[r * RayMarchLayout.OutputRow + c] = 2 * (rgb[c] + (p.WhiteBack != 0 ? 1 - total : 0)) - 1;
            double depth = num / total;
            if (double.IsNaN(depth)) depth = double.PositiveInfinity;
            output[r * RayMarchLayout.OutputRow + C] = Math.Clamp(depth, lo, hi);
        }
        return (output, weights);
    }
}
