// Projection of a W direction n into the span of the person's anchors (MyStyle edit.py, spec §3.3): γ = (A Aᵀ)⁻¹ A n and
// n∥ = Aᵀγ, per layer of the anchors (all layers are equal for W anchors), with cos(n∥, n) telling how much of the edit
// the personal space can express. A pseudo-inverse keeps γ defined for linearly dependent anchors.
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Editing;

/// <summary>A direction projected into the anchors' span: γ [L, N] and cos(n∥, n) per layer.</summary>
/// <param name="Gamma">γ_l = (A_l A_lᵀ)⁺ A_l n for each layer l.</param>
/// <param name="Cosine">cos(n∥_l, n) per layer (0 when n∥ vanishes).</param>
public sealed record ProjectedDirection(double[,] Gamma, double[] Cosine)
{
    /// <summary>The smallest cos(n∥, n) over layers (the only value for W anchors).</summary>
    public double MinCosine => Cosine.Min();

    /// <summary>Projects the unit direction <paramref name="direction"/> (w_dim values) into <paramref name="anchors"/>' span.</summary>
    /// <exception cref="ArgumentException">The direction is not w_dim values.</exception>
    public static ProjectedDirection Project(AnchorSet anchors, ReadOnlySpan<float> direction)
    {
        if (direction.Length != anchors.WDim) throw new ArgumentException($"direction has {direction.Length} values, the anchors' w has {anchors.WDim}", nameof(direction));
        var n = new double[direction.Length];
        for (int k = 0; k < n.Length; k++) n[k] = direction[k];
        double nNorm = Math.Sqrt(n.Sum(v => v * v));
        var gamma = new double[anchors.NumWs, anchors.Count];
        var cos = new double[anchors.NumWs];
        bool wAnchors = anchors.AllLayersEqual;
        for (int l = 0; l < anchors.NumWs; l++)
        {
            if (wAnchors && l > 0)
            {
                for (int i = 0; i < anchors.Count; i++) gamma[l, i] = gamma[0, i];
                cos[l] = cos[0];
                continue;
            }
            var a = anchors.LayerMatrix(l);
            var g = AffineLeastSquares.RowSpaceCoefficients(a, n);
            var par = AffineLeastSquares.Combine(a, g);
            double dot = 0, pn = 0;
            for (int k = 0; k < n.Length; k++) { dot += par[k] * n[k]; pn += par[k] * par[k]; }
            cos[l] = pn > 0 && nNorm > 0 ? dot / (Math.Sqrt(pn) * nNorm) : 0;
            for (int i = 0; i < anchors.Count; i++) gamma[l, i] = g[i];
        }
        return new ProjectedDirection(gamma, cos);
    }
}
