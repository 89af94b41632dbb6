// PROJECT's quadratic programme per layer (MyStyle's ConvexProjector, solved there with cvxpy): minimise
// ½‖αA − w(θ)‖² = ½(α − a)ᵀG(α − a) + const subject to Σα = 1, α ≥ −β, where w(θ) = aA and G = AAᵀ. Solved by
// accelerated projected gradient (FISTA) onto the shifted simplex {x = α + β ≥ 0, Σx = 1 + Nβ}, started at the
// Euclidean projection of a; feasibility is exact by construction, optimality to a relative gradient-mapping tolerance.
namespace My3DGen.Tasks.Editing;

internal static class DilatedSimplexProjection
{
    /// <summary>argmin ½(α − a)ᵀG(α − a) over {Σα = 1, α ≥ −β}.</summary>
    public static double[] Solve(double[,] gram, double[] a, double beta, int maxIterations = 20_000, double tolerance = 1e-12)
    {
        int n = a.Length;
        double lipschitz = LargestEigenvalue(gram);
        var x = ProjectOntoSet(a, beta);
        if (lipschitz <= 0) return x;
        double step = 1 / lipschitz, t = 1;
        var y = (double[])x.Clone();
        var grad = new double[n];
        for (int it = 0; it < maxIterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += gram[i, j] * (y[j] - a[j]);
                grad[i] = s;
            }
            var next = ProjectOntoSet(y.Select((v, i) => v - step * grad[i]).ToArray(), beta);
            double change = 0, size = 0;
            for (int i = 0; i < n; i++) { change = Math.Max(change, Math.Abs(next[i] - x[i])); size = Math.Max(size, Math.Abs(next[i])); }
            double tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            for (int i = 0; i < n; i++) y[i] = next[i] + (t - 1) / tNext * (next[i] - x[i]);
            x = next; t = tNext;
            if (change <= tolerance * Math.Max(1, size)) break;
        }
        return x;
    }

    /// <summary>Euclidean projection onto {Σα = 1, α ≥ −β}: shift by β and project onto the simplex of radius 1 + Nβ (sort-based).</summary>
    public static double[] ProjectOntoSet(double[] v, double beta)
    {
        int n = v.Length;
        double radius = 1 + n * beta;
        var shifted = v.Select(x => x + beta).ToArray();
        var sorted = shifted.OrderByDescending(x => x).ToArray();
        double cumulative = 0, tau = 0;
        for (int k = 0; k < n; k++)
        {
            cumulative += sorted[k];
            double candidate = (cumulative - radius) / (k + 1);
            if (sorted[k] - candidate > 0) tau = candidate;
        }
        return shifted.Select(x => Math.Max(x - tau, 0) - beta).ToArray();
    }

    /// <summary>λ_max of the symmetric positive semi-definite Gram matrix (symmetric eigen-decomposition).</summary>
    static double LargestEigenvalue(double[,] g) =>
        Math.Max(0, MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(g)
            .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Max(c => c.Real));
}
