// A latent in MyStyle's α representation: per-layer anchor coefficients α [L, N] with w_l = Σ_n α_{l,n} A_{l,n}, plus the
// part of the latent outside the anchors' affine hull (zero for α / α⁺ inversions, MyStyle's case), so that any start
// latent — an anchor, a W/W+ inversion, an α⁺ inversion — is reproduced exactly at θ = 0.
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Editing;

/// <summary>A latent as anchor coefficients α [L, N] (row l: layer l) plus an out-of-hull residual [L·D].</summary>
public sealed class AlphaLatent
{
    /// <summary>The anchors the coefficients refer to.</summary>
    public AnchorSet Anchors { get; }
    /// <summary>α [L, N].</summary>
    public double[,] Alpha { get; }
    /// <summary>w − αA per layer (L·D values; zero when the latent lies in the anchors' affine hull).</summary>
    public double[] Residual { get; }

    /// <summary>A latent from coefficients (e.g. an α⁺ inversion's â) and an optional residual.</summary>
    /// <exception cref="ArgumentException">α is not [num_ws, N] or the residual not num_ws·w_dim values.</exception>
    public AlphaLatent(AnchorSet anchors, double[,] alpha, double[]? residual = null)
    {
        if (alpha.GetLength(0) != anchors.NumWs || alpha.GetLength(1) != anchors.Count)
            throw new ArgumentException($"α must be [{anchors.NumWs},{anchors.Count}], got [{alpha.GetLength(0)},{alpha.GetLength(1)}]", nameof(alpha));
        residual ??= new double[anchors.NumWs * anchors.WDim];
        if (residual.Length != anchors.NumWs * anchors.WDim) throw new ArgumentException("residual must have num_ws·w_dim values", nameof(residual));
        Anchors = anchors; Alpha = alpha; Residual = residual;
    }

    /// <summary>Anchor <paramref name="index"/> itself: α one-hot on every layer, no residual.</summary>
    public static AlphaLatent FromAnchor(AnchorSet anchors, int index)
    {
        var alpha = new double[anchors.NumWs, anchors.Count];
        for (int l = 0; l < anchors.NumWs; l++) alpha[l, index] = 1;
        return new AlphaLatent(anchors, alpha);
    }

    /// <summary>Any latent ws [num_ws·w_dim] (e.g. a PTI pivot): per layer, α = argmin ‖αA_l − w_l‖² with Σα = 1 (its
    /// projection onto the anchors' affine hull), and the residual w − αA kept aside.</summary>
    /// <exception cref="ArgumentException">ws is not num_ws·w_dim values.</exception>
    public static AlphaLatent FromLatent(AnchorSet anchors, ReadOnlySpan<float> ws)
    {
        int lCount = anchors.NumWs, d = anchors.WDim;
        if (ws.Length != lCount * d) throw new ArgumentException($"ws must have {lCount}×{d} values, got {ws.Length}", nameof(ws));
        var alpha = new double[lCount, anchors.Count];
        var residual = new double[lCount * d];
        var w = new double[d];
        for (int l = 0; l < lCount; l++)
        {
            var a = anchors.LayerMatrix(l);
            for (int k = 0; k < d; k++) w[k] = ws[l * d + k];
            var c = AffineLeastSquares.AffineCoefficients(a, w);
            var proj = AffineLeastSquares.Combine(a, c);
            for (int n = 0; n < c.Length; n++) alpha[l, n] = c[n];
            for (int k = 0; k < d; k++) residual[l * d + k] = w[k] - proj[k];
        }
        return new AlphaLatent(anchors, alpha, residual);
    }

    /// <summary>The Euclidean norm of the residual (0 for a latent in the anchors' affine hull).</summary>
    public double ResidualNorm => Math.Sqrt(Residual.Sum(v => v * v));

    /// <summary>w = αA + residual with coefficients <paramref name="alpha"/> [L, N] (this latent's own α when null), as float32 ws.</summary>
    public float[] ToWs(double[,]? alpha = null)
    {
        alpha ??= Alpha;
        int lCount = Anchors.NumWs, d = Anchors.WDim, n = Anchors.Count;
        var ws = new float[lCount * d];
        var acc = new double[d];
        for (int l = 0; l < lCount; l++)
        {
            Array.Clear(acc);
            for (int i = 0; i < n; i++)
            {
                double c = alpha[l, i];
                if (c == 0) continue;
                var a = Anchors.Ws(i).AsSpan(l * d, d);
                for (int k = 0; k < d; k++) acc[k] += c * a[k];
            }
            for (int k = 0; k < d; k++) ws[l * d + k] = (float)(acc[k] + Residual[l * d + k]);
        }
        return ws;
    }
}
