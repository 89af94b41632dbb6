// Plain C# reference of the render's sampling steps, from the spec: coarse depths, EG3D sample_importance +
// sample_pdf for given u (searchsorted right, below/above, denom < 1e−5 → 1) and the stratified u rule used on the
// device (sorted uniforms as normalised prefix sums of exponential spacings).
namespace My3DGen.Kernels;

/// <summary>Reference for the sampling kernels of <see cref="RayMarchKernels"/>.</summary>
internal static class DepthSamplingReference
{
    /// <summary>Coarse depths [rays, D].</summary>
    public static double[] Coarse(DepthSamplingParams p)
    {
        var t = new double[p.Rays * p.Coarse];
        double delta = ((double)p.End - p.Start) / (p.Coarse - 1);
        for (int r = 0; r < p.Rays; r++)
            for (int k = 0; k < p.Coarse; k++)
                t[r * p.Coarse + k] = p.Start + k * delta
                    + (p.Stratified == 1 ? CounterRng.Uniform(p.Seed, RayMarchLayout.JitterStream, r, k) * delta : p.Stratified == 2 ? 0.5 * delta : 0);
        return t;
    }

    /// <summary>The u of ray r: linspace(0, 1, F) when deterministic, (q + 1)/(F + 1) in the mean-position rule, else sorted
    /// uniforms from the counter RNG.</summary>
    public static double[] U(DepthSamplingParams p, int r)
    {
        if (p.Stratified == 0) return Enumerable.Range(0, p.Fine).Select(q => p.Fine == 1 ? 0.0 : q / (double)(p.Fine - 1)).ToArray();
        if (p.Stratified == 2) return Enumerable.Range(0, p.Fine).Select(q => (q + 1.0) / (p.Fine + 1)).ToArray();
        var e = Enumerable.Range(0, p.Fine + 1)
            .Select(q => -Math.Log(1.0 - CounterRng.Uniform(p.Seed, RayMarchLayout.ImportanceStream, r, q))).ToArray();
        double total = e.Sum(), acc = 0;
        return e.Take(p.Fine).Select(v => (acc += v) / total).ToArray();
    }

    /// <summary>Importance depths [rays, F] from coarse depths [rays, D] and coarse weights [rays, D−1].</summary>
    public static double[] Importance(float[] coarse, float[] weights, DepthSamplingParams p)
    {
        int d = p.Coarse, nw = d - 1;
        var fine = new double[p.Rays * p.Fine];
        for (int r = 0; r < p.Rays; r++)
        {
            var w = weights.Skip(r * nw).Take(nw).Select(v => (double)v).ToArray();
            var pooled = Enumerable.Range(0, d).Select(k => Math.Max(k > 0 ? w[k - 1] : double.NegativeInfinity, k < nw ? w[k] : double.NegativeInfinity)).ToArray();
            var avg = Enumerable.Range(0, d - 1).Select(k => (pooled[k] + pooled[k + 1]) / 2 + 0.01).ToArray();
            var pdfW = avg.Skip(1).Take(d - 3).Select(v => v + 1e-5).ToArray();
            double sum = pdfW.Sum();
            var cdf = new double[d - 2];
            for (int k = 0; k < pdfW.Length; k++) cdf[k + 1] = cdf[k] + pdfW[k] / sum;
            var bins = Enumerable.Range(0, d - 1).Select(k => ((double)coarse[r * d + k] + coarse[r * d + k + 1]) / 2).ToArray();
            var u = U(p, r);
            for (int q = 0; q < p.Fine; q++)
            {
                int idx = cdf.Count(c => c <= u[q]);
                int below = Math.Max(idx - 1, 0), above = Math.Min(idx, cdf.Length - 1);
                double den = cdf[above] - cdf[below];
                if (den < 1e-5) den = 1;
                fine[r * p.Fine + q] = bins[below] + (u[q] - cdf[below]) / den * (bins[above] - bins[below]);
            }
        }
        return fine;
    }
}
