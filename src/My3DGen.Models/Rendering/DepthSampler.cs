// Depth samples along rays, computed on the host (they never need gradients): stratified coarse depths
// (jittered, or EG3D-fixture deterministic t_i = linspace) and the importance pass's inverse-CDF sampling.
namespace My3DGen.Models.Rendering;

internal static class DepthSampler
{
    /// <summary>Coarse depths [rays, D]: start + i·Δ with Δ = (end−start)/(D−1), plus U[0,1)·Δ jitter when <paramref name="rng"/> is given.</summary>
    public static float[] Coarse(int rays, int d, float start, float end, Random? rng)
    {
        var t = new float[rays * d];
        float delta = (end - start) / (d - 1);
        for (int r = 0; r < rays; r++)
            for (int i = 0; i < d; i++)
            {
                float v = start + i * (end - start) / (d - 1);
                if (rng != null) v += (float)rng.NextDouble() * delta;
                t[r * d + i] = v;
            }
        return t;
    }

    /// <summary>EG3D sample_importance: smooths the coarse weights [rays, D−1] (max-pool 2, avg-pool 2, +0.01), keeps the
    /// interior D−3 as a pdf over the coarse midpoints and inverse-CDF samples <paramref name="count"/> depths per ray.
    /// u = linspace(0,1,count) when <paramref name="rng"/> is null (the deterministic rule), else U[0,1).</summary>
    public static float[] Importance(float[] coarseDepths, float[] weights, int rays, int d, int count, Random? rng)
    {
        var result = new float[rays * count];
        var u = new float[rays * count];
        for (int r = 0; r < rays; r++)
            for (int k = 0; k < count; k++)
                u[r * count + k] = rng == null ? (count == 1 ? 0f : k * (1f / (count - 1))) : (float)rng.NextDouble();
        if (rng == null && count > 1)
            for (int r = 0; r < rays; r++) u[r * count + count - 1] = 1f;
        Parallel.For(0, rays, r =>
        {
            int nw = d - 1;
            var w = weights.AsSpan(r * nw, nw);
            Span<float> pooled = stackalloc float[d];
            for (int k = 0; k < d; k++)
            {
                float a = k - 1 >= 0 ? w[k - 1] : float.NegativeInfinity;
                float b = k < nw ? w[k] : float.NegativeInfinity;
                pooled[k] = MathF.Max(a, b);
            }
            int nb = d - 2;                            // bins used: midpoints 0..d−3
            Span<float> mids = stackalloc float[d - 1];
            var t = coarseDepths.AsSpan(r * d, d);
            for (int k = 0; k < d - 1; k++) mids[k] = 0.5f * (t[k] + t[k + 1]);
            Span<float> pw = stackalloc float[d - 3];
            float sum = 0f;
            for (int k = 0; k < d - 3; k++)
            {
                float avg = (pooled[k + 1] + pooled[k + 2]) / 2f + 0.01f;
                pw[k] = avg + 1e-5f;
            }
            for (int k = 0; k < d - 3; k++) sum += pw[k];
            Span<float> cdf = stackalloc float[nb];
            cdf[0] = 0f;
            float acc = 0f;
            for (int k = 0; k < d - 3; k++) { acc += pw[k] / sum; cdf[k + 1] = acc; }
            for (int q = 0; q < count; q++)
            {
                float uq = u[r * count + q];
                int idx = 0;
                while (idx < nb && cdf[idx] <= uq) idx++;   // searchsorted(right=True)
                int below = Math.Max(idx - 1, 0), above = Math.Min(idx, nb - 1);
                float den = cdf[above] - cdf[below];
                if (den < 1e-5f) den = 1f;
                result[r * count + q] = mids[below] + (uq - cdf[below]) / den * (mids[above] - mids[below]);
            }
        });
        return result;
    }
}
