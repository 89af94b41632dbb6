// α-space semantic editing (MyStyle edit.py, spec §3.3): α(θ) = α + θ·γ on every layer, w(θ) = α(θ)A (+ the start
// latent's out-of-hull residual, zero for α inversions), the θ grid of edit.py, and the CONTINUE / STOP / PROJECT
// policies when min α(θ) < −β. γ is not re-normalised, so Σα(θ) may drift from 1 (as in MyStyle).
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Editing;

/// <summary>One edit of the sweep.</summary>
/// <param name="Theta">The edit strength θ.</param>
/// <param name="MinAlpha">min over layers and anchors of α + θγ, before any policy.</param>
/// <param name="OutsideDilatedSpace">MinAlpha &lt; −β.</param>
/// <param name="Action">What the policy did: "kept", "stopped" or "projected".</param>
/// <param name="Alpha">The coefficients used [L, N] (null when stopped).</param>
/// <param name="Ws">The edited latent [num_ws·w_dim] (null when stopped).</param>
public sealed record EditStep(double Theta, double MinAlpha, bool OutsideDilatedSpace, string Action, double[,]? Alpha, float[]? Ws);

/// <summary>Sweeps a latent along a projected direction in α space.</summary>
public static class AlphaEditor
{
    /// <summary>MyStyle's β (the --beta default of project.py and edit.py).</summary>
    public const double DefaultBeta = 0.03;

    /// <summary>edit.py's θ values: linspace(−m, 0, k/2) ∪ linspace(0, m, k/2), sorted, duplicates removed (m = 2, k = 11 → 9 values).</summary>
    public static double[] MyStyleThetas(double magnitude = 2, int count = 11)
    {
        int half = count / 2;
        if (half < 2) throw new ArgumentOutOfRangeException(nameof(count), "need at least 4 edits (2 per side)");
        var left = Enumerable.Range(0, half).Select(i => -magnitude + magnitude * i / (half - 1));
        var right = Enumerable.Range(0, half).Select(i => magnitude * i / (half - 1));
        return left.Concat(right).Distinct().OrderBy(v => v).ToArray();
    }

    /// <summary>The edits of <paramref name="start"/> along <paramref name="direction"/> at each θ, with <paramref name="policy"/>.</summary>
    public static IReadOnlyList<EditStep> Sweep(AlphaLatent start, ProjectedDirection direction, IReadOnlyList<double> thetas,
        EdgePolicy policy = EdgePolicy.Continue, double beta = DefaultBeta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beta);
        var steps = new List<EditStep>(thetas.Count);
        foreach (var theta in thetas) steps.Add(Edit(start, direction, theta, policy, beta));
        return steps;
    }

    /// <summary>One edit at strength <paramref name="theta"/>.</summary>
    public static EditStep Edit(AlphaLatent start, ProjectedDirection direction, double theta, EdgePolicy policy, double beta = DefaultBeta)
    {
        int lCount = start.Anchors.NumWs, n = start.Anchors.Count;
        if (direction.Gamma.GetLength(0) != lCount || direction.Gamma.GetLength(1) != n)
            throw new ArgumentException("the direction was projected onto other anchors", nameof(direction));
        var alpha = new double[lCount, n];
        double min = double.PositiveInfinity;
        for (int l = 0; l < lCount; l++)
            for (int i = 0; i < n; i++)
            {
                alpha[l, i] = start.Alpha[l, i] + theta * direction.Gamma[l, i];
                min = Math.Min(min, alpha[l, i]);
            }
        bool outside = min < -beta;
        if (!outside || policy == EdgePolicy.Continue) return new EditStep(theta, min, outside, "kept", alpha, start.ToWs(alpha));
        if (policy == EdgePolicy.Stop) return new EditStep(theta, min, outside, "stopped", null, null);
        var projected = ProjectIntoDilatedSpace(start.Anchors, alpha, beta);
        return new EditStep(theta, min, outside, "projected", projected, start.ToWs(projected));
    }

    /// <summary>PROJECT: per layer, the coefficients α* with Σα* = 1 and α* ≥ −β whose latent α*A is closest to αA.</summary>
    public static double[,] ProjectIntoDilatedSpace(AnchorSet anchors, double[,] alpha, double beta = DefaultBeta)
    {
        int lCount = anchors.NumWs, n = anchors.Count;
        var result = new double[lCount, n];
        double[,]? gram = null;
        bool shared = anchors.AllLayersEqual;
        for (int l = 0; l < lCount; l++)
        {
            if (gram == null || !shared) gram = AffineLeastSquares.Gram(anchors.LayerMatrix(l));
            var row = Enumerable.Range(0, n).Select(i => alpha[l, i]).ToArray();
            var solved = DilatedSimplexProjection.Solve(gram, row, beta);
            for (int i = 0; i < n; i++) result[l, i] = solved[i];
        }
        return result;
    }
}
