// Identity metrics on ArcFace embeddings: cosine similarity, the paper's formula (2) ID_sim of a generated set
// against a reference set (mean over generated images of the best cosine over the references) and the
// reconstruction ID error 1 − cos. Embeddings are [N,512] unit vectors; sums run in double.
namespace My3DGen.Models.Metrics;

/// <summary>Formula (2): <see cref="Score"/> = (1/M) Σ_m max_r cos(F(g_m), F(r)); per generated image its best cosine and reference index.</summary>
/// <param name="Score">ID_sim.</param>
/// <param name="BestCosine">Per generated image, max over references of the cosine.</param>
/// <param name="BestReference">Per generated image, the index of that reference.</param>
public sealed record IdSimResult(double Score, double[] BestCosine, int[] BestReference);

/// <summary>Identity similarity from embeddings.</summary>
public static class IdentityMetrics
{
    /// <summary>cos(a, b) = a·b / (|a||b|) of two embeddings.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>ID_sim of <paramref name="generated"/> [M·d] against <paramref name="reference"/> [R·d] embeddings (row-major, d per row).</summary>
    public static IdSimResult IdSim(float[] generated, float[] reference, int dim)
    {
        int m = generated.Length / dim, r = reference.Length / dim;
        if (m == 0 || r == 0) throw new ArgumentException("ID_sim needs at least one generated and one reference embedding");
        var best = new double[m]; var arg = new int[m];
        for (int i = 0; i < m; i++)
        {
            best[i] = double.NegativeInfinity;
            for (int j = 0; j < r; j++)
            {
                double c = Cosine(generated.AsSpan(i * dim, dim), reference.AsSpan(j * dim, dim));
                if (c > best[i]) { best[i] = c; arg[i] = j; }
            }
        }
        return new IdSimResult(best.Average(), best, arg);
    }

    /// <summary>Reconstruction ID error of a pair: 1 − cos.</summary>
    public static double IdError(ReadOnlySpan<float> input, ReadOnlySpan<float> reconstruction) => 1 - Cosine(input, reconstruction);
}
