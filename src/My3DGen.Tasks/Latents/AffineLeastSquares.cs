// Small dense solves on the anchors' Gram matrix G = A Aᵀ (N × N, N = a person's photo count): the projection of a
// vector onto the anchors' row space (γ = G⁺ A n) and onto their affine hull (Σα = 1). Pseudo-inverses (SVD) keep
// both defined when anchors are linearly dependent (duplicate or proportional anchors).
using MathNet.Numerics.LinearAlgebra;

namespace My3DGen.Tasks.Latents;

internal static class AffineLeastSquares
{
    /// <summary>G = A Aᵀ for a row-major N × D matrix.</summary>
    public static double[,] Gram(double[,] a)
    {
        int n = a.GetLength(0), d = a.GetLength(1);
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += a[i, k] * a[j, k];
                g[i, j] = g[j, i] = s;
            }
        return g;
    }

    /// <summary>A v (N values) for v of length D.</summary>
    public static double[] Times(double[,] a, ReadOnlySpan<double> v)
    {
        int n = a.GetLength(0), d = a.GetLength(1);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) s += a[i, k] * v[k];
            r[i] = s;
        }
        return r;
    }

    /// <summary>cᵀ A (D values) for coefficients c of length N.</summary>
    public static double[] Combine(double[,] a, ReadOnlySpan<double> c)
    {
        int n = a.GetLength(0), d = a.GetLength(1);
        var r = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) r[k] += c[i] * a[i, k];
        return r;
    }

    /// <summary>γ = (A Aᵀ)⁺ A n: coefficients of n's orthogonal projection onto the anchors' row space.</summary>
    public static double[] RowSpaceCoefficients(double[,] a, ReadOnlySpan<double> v)
    {
        var g = Matrix<double>.Build.DenseOfArray(Gram(a));
        return (g.PseudoInverse() * Vector<double>.Build.DenseOfArray(Times(a, v))).ToArray();
    }

    /// <summary>α minimising ‖αᵀA − w‖² subject to Σα = 1 (the KKT system [G 1; 1ᵀ 0][α; μ] = [A w; 1], pseudo-inverted).</summary>
    public static double[] AffineCoefficients(double[,] a, ReadOnlySpan<double> w)
    {
        int n = a.GetLength(0);
        var g = Gram(a);
        var aw = Times(a, w);
        var kkt = Matrix<double>.Build.Dense(n + 1, n + 1);
        var rhs = Vector<double>.Build.Dense(n + 1);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) kkt[i, j] = g[i, j];
            kkt[i, n] = kkt[n, i] = 1;
            rhs[i] = aw[i];
        }
        rhs[n] = 1;
        var x = kkt.PseudoInverse() * rhs;
        return x.SubVector(0, n).ToArray();
    }
}
