// Sampling in the personal convex hull P0 = conv{w_i} exactly as MyStyle's sample_from_P0 (spec §3.1): K = 3 distinct
// anchors uniformly without replacement, u_k ~ U(0,1) i.i.d., α_k = u_k / Σ u (normalised uniforms, not Dirichlet), and
// w = Σ α_k w_{i_k} mixed per layer with the same α. Random numbers: numpy's MT19937 (not bit-identical to torch's).
using My3DGen.Models.Latents;

namespace My3DGen.Tasks.Latents;

/// <summary>One latent sampled in P0: the anchors it mixes, their weights and the resulting ws [num_ws·w_dim].</summary>
/// <param name="Index">Position in the sampled set (0-based).</param>
/// <param name="Anchors">The K distinct anchor indices.</param>
/// <param name="Weights">α_k ≥ 0 with Σ α_k = 1 (double precision), one per anchor.</param>
/// <param name="Ws">Σ α_k w_{i_k}, every layer mixed with the same α (float32, num_ws·w_dim).</param>
public sealed record P0Sample(int Index, int[] Anchors, double[] Weights, float[] Ws);

/// <summary>MyStyle's P0 sampler.</summary>
public static class P0Sampler
{
    /// <summary>MyStyle's default number of anchors mixed per sample (--num_anchors_for_sampling).</summary>
    public const int DefaultAnchorsPerSample = 3;
    /// <summary>MyStyle's seed (torch.manual_seed(2), np.random.seed(2)).</summary>
    public const int DefaultSeed = 2;

    /// <summary>Samples <paramref name="count"/> latents from P0; the same seed gives the same set.</summary>
    /// <exception cref="TaskInputException">Fewer anchors than <paramref name="anchorsPerSample"/>.</exception>
    public static IReadOnlyList<P0Sample> Sample(AnchorSet anchors, int count, int seed = DefaultSeed, int anchorsPerSample = DefaultAnchorsPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorsPerSample, 1);
        if (anchors.Count < anchorsPerSample)
            throw new TaskInputException("anchors", $"sampling mixes {anchorsPerSample} distinct anchors, the person has only {anchors.Count}");
        var rng = new NumpyRandomState((uint)seed);
        var samples = new List<P0Sample>(count);
        for (int s = 0; s < count; s++)
        {
            var chosen = ChooseDistinct(rng, anchors.Count, anchorsPerSample);
            var u = new double[anchorsPerSample];
            for (int k = 0; k < u.Length; k++) u[k] = rng.NextDouble();
            double sum = u.Sum();
            if (sum <= 0) { Array.Fill(u, 1.0); sum = u.Length; }   // all-zero draws (probability ~0): fall back to the centre
            var weights = u.Select(v => v / sum).ToArray();
            samples.Add(new P0Sample(s, chosen, weights, Mix(anchors, chosen, weights)));
        }
        return samples;
    }

    /// <summary>Σ_k weights[k]·anchor[indices[k]] on every layer, accumulated in double.</summary>
    public static float[] Mix(AnchorSet anchors, IReadOnlyList<int> indices, IReadOnlyList<double> weights)
    {
        int n = anchors.NumWs * anchors.WDim;
        var acc = new double[n];
        for (int k = 0; k < indices.Count; k++)
        {
            var a = anchors.Ws(indices[k]);
            for (int j = 0; j < n; j++) acc[j] += weights[k] * a[j];
        }
        return acc.Select(v => (float)v).ToArray();
    }

    /// <summary>k distinct indices of 0..n-1, uniformly (a partial Fisher–Yates shuffle).</summary>
    static int[] ChooseDistinct(NumpyRandomState rng, int n, int k)
    {
        var pool = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = i + Math.Min(n - i - 1, (int)(rng.NextDouble() * (n - i)));
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..k];
    }
}
