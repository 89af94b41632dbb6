// The per-ray bodies of EG3D's MipRayMarcher2 (spec §5.4), written once over IFloatBuffer for the ILGPU kernels and the
// managed CPU backend: the two depth-sorted sample lists are merged on the fly (coarse first on ties), transmittance is a
// running product, and the backward walks the ray with a per-interval scratch (T, α, w, dα/dx, g) instead of a cumprod.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Generic per-ray march forward/backward; reference: <see cref="RayMarchReference"/>.</summary>
internal static class RayMarchCore
{
    /// <summary>Next sample of ray <paramref name="r"/> in merged depth order; advances the cursors (i coarse, j fine).</summary>
    public static float Next<TB>(TB dc, TB df, in RayMarchParams p, int r, ref int i, ref int j, out int row, out int fine)
        where TB : struct, IFloatBuffer
    {
        bool coarse = j >= p.Fine || (i < p.Coarse && dc[r * p.Coarse + i] <= df[r * p.Fine + j]);
        if (coarse) { row = r * p.Coarse + i; i++; fine = 0; return dc[row]; }
        row = r * p.Fine + j; j++; fine = 1; return df[row];
    }

    /// <summary>Element <paramref name="ch"/> of a sample row in the coarse or fine list.</summary>
    public static float Sample<TB>(TB sc, TB sf, int fine, int row, int ch) where TB : struct, IFloatBuffer =>
        fine == 0 ? sc[row * RayMarchLayout.SampleRow + ch] : sf[row * RayMarchLayout.SampleRow + ch];

    /// <summary>Opacity of an interval and its derivative with respect to x = (σ_a + σ_b)/2 − 1.</summary>
    public static float Alpha(float sigmaA, float sigmaB, float delta, out float dAlphaDx)
    {
        float x = 0.5f * (sigmaA + sigmaB) - 1f;
        float s = TriplaneCore.Softplus(x);
        float e = XMath.Exp(-s * delta);
        dAlphaDx = delta * e * TriplaneCore.SoftplusGrad(x);
        return 1f - e;
    }

    /// <summary>Min and max of every depth (both lists) over rays start, start + step, …; lo/hi are updated.</summary>
    public static void Range<TB>(TB dc, TB df, in RayMarchParams p, int start, int step, ref float lo, ref float hi)
        where TB : struct, IFloatBuffer
    {
        for (int r = start; r < p.Rays; r += step)
        {
            for (int k = 0; k < p.Coarse; k++) { float t = dc[r * p.Coarse + k]; lo = XMath.Min(lo, t); hi = XMath.Max(hi, t); }
            for (int k = 0; k < p.Fine; k++) { float t = df[r * p.Fine + k]; lo = XMath.Min(lo, t); hi = XMath.Max(hi, t); }
        }
    }

    /// <summary>Forward of ray <paramref name="r"/>: out[r·33 + c] = 2·(Σ w·c̄ (+ 1 − W)) − 1, out[r·33 + 32] = depth clamped to
    /// [range[0], range[1]] (+∞ before the clamp when W = 0); weights[r·(K−1) + k] = w_k when requested.</summary>
    public static void Forward<TB>(TB sc, TB dc, TB sf, TB df, TB range, TB output, TB weights, in RayMarchParams p, int r)
        where TB : struct, IFloatBuffer
    {
        const int C = RayMarchLayout.Channels;
        int o = r * RayMarchLayout.OutputRow, k1 = p.Total - 1;
        for (int c = 0; c < C; c++) output[o + c] = 0f;
        int i = 0, j = 0;
        float t0 = Next(dc, df, p, r, ref i, ref j, out int row0, out int fine0);
        float sig0 = Sample(sc, sf, fine0, row0, 0);
        float total = 0f, num = 0f, trans = 1f, wPrev = 0f;
        for (int k = 1; k < p.Total; k++)
        {
            float t1 = Next(dc, df, p, r, ref i, ref j, out int row1, out int fine1);
            float sig1 = Sample(sc, sf, fine1, row1, 0);
            float alpha = Alpha(sig0, sig1, t1 - t0, out _);
            float w = alpha * trans;
            trans *= 1f - alpha + 1e-10f;
            float coef = 0.5f * (wPrev + w);
            for (int c = 0; c < C; c++) output[o + c] += coef * Sample(sc, sf, fine0, row0, 1 + c);
            total += w;
            num += w * (0.5f * (t0 + t1));
            if (p.WithWeights != 0) weights[r * k1 + k - 1] = w;
            wPrev = w; t0 = t1; row0 = row1; fine0 = fine1; sig0 = sig1;
        }
        for (int c = 0; c < C; c++)
        {
            float v = output[o + c] + 0.5f * wPrev * Sample(sc, sf, fine0, row0, 1 + c);
            if (p.WhiteBack != 0) v += 1f - total;
            output[o + c] = 2f * v - 1f;
        }
        float depth = num / total;
        if (XMath.IsNaN(depth)) depth = float.PositiveInfinity;
        output[o + C] = XMath.Min(XMath.Max(depth, range[0]), range[1]);
    }

    /// <summary>Backward of ray <paramref name="r"/>: writes the gradient of every sample row of the ray (σ and features) into
    /// gc/gf from the output gradient. <paramref name="scratch"/> holds 5·(K−1) floats per ray.</summary>
    public static void Backward<TB>(TB sc, TB dc, TB sf, TB df, TB range, TB gOut, TB gc, TB gf, TB scratch, in RayMarchParams p, int r)
        where TB : struct, IFloatBuffer
    {
        const int C = RayMarchLayout.Channels, S = RayMarchLayout.ScratchPerInterval;
        int k1 = p.Total - 1, sb = r * k1 * S, o = r * RayMarchLayout.OutputRow;
        // Pass 1: transmittance, opacity, weight and dα/dx per interval; totals.
        int i = 0, j = 0;
        float t0 = Next(dc, df, p, r, ref i, ref j, out int row0, out int fine0);
        float sig0 = Sample(sc, sf, fine0, row0, 0);
        float total = 0f, num = 0f, trans = 1f;
        for (int k = 1; k < p.Total; k++)
        {
            float t1 = Next(dc, df, p, r, ref i, ref j, out int row1, out int fine1);
            float sig1 = Sample(sc, sf, fine1, row1, 0);
            float alpha = Alpha(sig0, sig1, t1 - t0, out float dadx);
            float w = alpha * trans;
            int at = sb + (k - 1) * S;
            scratch[at] = trans; scratch[at + 1] = alpha; scratch[at + 2] = w; scratch[at + 3] = dadx;
            trans *= 1f - alpha + 1e-10f;
            total += w;
            num += w * (0.5f * (t0 + t1));
            t0 = t1; row0 = row1; fine0 = fine1; sig0 = sig1;
        }
        float depth = num / total;
        bool live = total > 0f && depth >= range[0] && depth <= range[1];
        float gDepth = live ? gOut[o + C] : 0f;
        float gTotal = 0f;
        if (p.WhiteBack != 0) for (int c = 0; c < C; c++) gTotal -= 2f * gOut[o + c];

        // Pass 2: feature gradients per sample and the weight gradient per interval.
        i = 0; j = 0;
        float dotPrev = 0f, tPrev = 0f, wPrev = 0f;
        for (int k = 0; k < p.Total; k++)
        {
            float t = Next(dc, df, p, r, ref i, ref j, out int row, out int fine);
            float w = k < k1 ? scratch[sb + k * S + 2] : 0f;
            float coef = 0.5f * (wPrev + w), dot = 0f;
            for (int c = 0; c < C; c++)
            {
                float g = 2f * gOut[o + c];
                dot += g * Sample(sc, sf, fine, row, 1 + c);
                if (fine == 0) gc[row * RayMarchLayout.SampleRow + 1 + c] = g * coef;
                else gf[row * RayMarchLayout.SampleRow + 1 + c] = g * coef;
            }
            if (k > 0)
            {
                float gw = 0.5f * (dotPrev + dot) + gTotal;
                if (live) gw += gDepth * (0.5f * (tPrev + t) - depth) / total;
                scratch[sb + (k - 1) * S + 4] = gw;
            }
            dotPrev = dot; tPrev = t; wPrev = w;
        }

        // Pass 3 (reverse): gradient of each opacity through w_k = α_k·T_k, then through x_k.
        float suffix = 0f;
        for (int k = k1 - 1; k >= 0; k--)
        {
            int at = sb + k * S;
            float gw = scratch[at + 4], w = scratch[at + 2];
            float gAlpha = gw * scratch[at] - suffix / (1f - scratch[at + 1] + 1e-10f);
            suffix += gw * w;
            scratch[at + 4] = gAlpha * scratch[at + 3];
        }

        // Pass 4: σ gradients, x_k = (σ_k + σ_{k+1})/2 − 1.
        i = 0; j = 0;
        for (int k = 0; k < p.Total; k++)
        {
            Next(dc, df, p, r, ref i, ref j, out int row, out int fine);
            float g = 0.5f * ((k > 0 ? scratch[sb + (k - 1) * S + 4] : 0f) + (k < k1 ? scratch[sb + k * S + 4] : 0f));
            if (fine == 0) gc[row * RayMarchLayout.SampleRow] = g;
            else gf[row * RayMarchLayout.SampleRow] = g;
        }
    }
}
