// Double-precision reference of PyTorch's Adam step (bias corrections recomputed from scratch),
// used to check the float kernel over several steps.
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="AdamKernels"/>.</summary>
internal static class AdamReference
{
    /// <summary>One step (1-based <paramref name="step"/>) over double arrays, in place.</summary>
    public static void Step(double[] p, double[] g, double[] m, double[] v, double lr, double beta1, double beta2,
        double eps, double weightDecay, int step)
    {
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] + weightDecay * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            p[i] -= lr / bc1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(bc2) + eps);
        }
    }
}
