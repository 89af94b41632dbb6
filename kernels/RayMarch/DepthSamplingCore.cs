// Per-ray bodies of the render's sampling steps, shared by the ILGPU kernels and the managed CPU backend: EG3D's
// RaySampler from the 25-float camera label (spec §5.1), the coarse depths (§5.2) and sample_importance/sample_pdf (§5.5).
// The importance u are generated in ascending order (deterministic linspace, or sorted uniforms by exponential spacings),
// so the fine depths come out sorted and the march can merge instead of sort.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Generic ray generation and depth sampling; reference: <see cref="DepthSamplingReference"/>.</summary>
internal static class DepthSamplingCore
{
    /// <summary>Ray (n, pixel) of an R×R image: rays[(n·R² + pixel)·6 ..] = origin, unit direction.</summary>
    public static void Ray<TB>(TB labels, TB rays, int resolution, int n, int pixel) where TB : struct, IFloatBuffer
    {
        int i = pixel / resolution, jx = pixel - i * resolution, c = n * 25;
        float fx = labels[c + 16], sk = labels[c + 17], cx = labels[c + 18], fy = labels[c + 20], cy = labels[c + 21];
        float v = i * (1f / resolution) + 0.5f / resolution;
        float u = jx * (1f / resolution) + 0.5f / resolution;
        float xl = (u - cx + cy * sk / fy - sk * v / fy) / fx;
        float yl = (v - cy) / fy;
        float d0 = labels[c] * xl + labels[c + 1] * yl + labels[c + 2] + labels[c + 3] - labels[c + 3];
        float d1 = labels[c + 4] * xl + labels[c + 5] * yl + labels[c + 6] + labels[c + 7] - labels[c + 7];
        float d2 = labels[c + 8] * xl + labels[c + 9] * yl + labels[c + 10] + labels[c + 11] - labels[c + 11];
        double nrm2 = (double)d0 * d0 + (double)d1 * d1 + (double)d2 * d2;
        float inv = (float)(1.0 / XMath.Max(XMath.Sqrt(nrm2), 1e-12));
        int at = (n * resolution * resolution + pixel) * 6;
        rays[at] = labels[c + 3]; rays[at + 1] = labels[c + 7]; rays[at + 2] = labels[c + 11];
        rays[at + 3] = d0 * inv; rays[at + 4] = d1 * inv; rays[at + 5] = d2 * inv;
    }

    /// <summary>Coarse depth k of ray r: start + k·(end−start)/(D−1), plus U[0,1)·Δ when stratified (Δ/2 in the mean-position rule).</summary>
    public static float Coarse(in DepthSamplingParams p, int r, int k)
    {
        float t = p.Start + k * (p.End - p.Start) / (p.Coarse - 1);
        if (p.Stratified == 1) t += CounterRng.Uniform(p.Seed, RayMarchLayout.JitterStream, r, k) * ((p.End - p.Start) / (p.Coarse - 1));
        else if (p.Stratified == 2) t += 0.5f * ((p.End - p.Start) / (p.Coarse - 1));
        return t;
    }

    /// <summary>Max-pool(2, stride 1, pad 1) of the coarse weights at position k (absent neighbours are −∞).</summary>
    static float Pooled<TB>(TB w, int wb, int nw, int k) where TB : struct, IFloatBuffer
    {
        float a = k - 1 >= 0 ? w[wb + k - 1] : float.NegativeInfinity;
        float b = k < nw ? w[wb + k] : float.NegativeInfinity;
        return XMath.Max(a, b);
    }

    /// <summary>Smoothed pdf weight k (0..D−4): avg-pool of the max-pooled weights + 0.01, + 1e−5 (sample_pdf).</summary>
    static float PdfWeight<TB>(TB w, int wb, int nw, int k) where TB : struct, IFloatBuffer =>
        (Pooled(w, wb, nw, k + 1) + Pooled(w, wb, nw, k + 2)) / 2f + 0.01f + 1e-5f;

    /// <summary>−ln(1 − U) for counter q of ray r: exponential spacings whose normalised prefix sums are sorted uniforms.</summary>
    static float Spacing(in DepthSamplingParams p, int r, int q) =>
        -XMath.Log(1f - CounterRng.Uniform(p.Seed, RayMarchLayout.ImportanceStream, r, q));

    /// <summary>Importance depths of ray r, ascending: fine[r·F + q] from coarse depths [r·D ..] and coarse weights [r·(D−1) ..].</summary>
    public static void Importance<TB>(TB coarse, TB weights, TB fine, in DepthSamplingParams p, int r) where TB : struct, IFloatBuffer
    {
        int d = p.Coarse, nw = d - 1, nb = d - 2, wb = r * nw, tb = r * d;
        float sum = 0f;
        for (int k = 0; k < d - 3; k++) sum += PdfWeight(weights, wb, nw, k);
        float spacingTotal = 0f;
        if (p.Stratified == 1) for (int q = 0; q <= p.Fine; q++) spacingTotal += Spacing(p, r, q);
        int idx = 0;
        float cdfAt = 0f, cdfBefore = 0f, prefix = 0f;
        for (int q = 0; q < p.Fine; q++)
        {
            float u;
            if (p.Stratified == 1) { prefix += Spacing(p, r, q); u = prefix / spacingTotal; }
            else if (p.Stratified == 2) u = (q + 1f) / (p.Fine + 1);
            else u = p.Fine == 1 ? 0f : (q == p.Fine - 1 ? 1f : q * (1f / (p.Fine - 1)));
            while (idx < nb && cdfAt <= u)      // searchsorted(cdf, u, right=True), walking up with the ascending u
            {
                idx++;
                cdfBefore = cdfAt;
                if (idx < nb) cdfAt = cdfBefore + PdfWeight(weights, wb, nw, idx - 1) / sum;
            }
            int below = XMath.Max(idx - 1, 0), above = XMath.Min(idx, nb - 1);
            float cb = idx == 0 ? cdfAt : cdfBefore, ca = idx < nb ? cdfAt : cdfBefore;
            float den = ca - cb;
            if (den < 1e-5f) den = 1f;
            float mb = 0.5f * (coarse[tb + below] + coarse[tb + below + 1]);
            float ma = 0.5f * (coarse[tb + above] + coarse[tb + above + 1]);
            fine[r * p.Fine + q] = mb + (u - cb) / den * (ma - mb);
        }
    }
}
