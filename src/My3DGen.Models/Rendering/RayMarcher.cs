// EG3D's MipRayMarcher2 (spec §5.4): midpoint colours/densities, softplus(σ−1) density, alpha compositing with
// transmittance T_k = Π_{j<k}(1−α_j+1e−10) computed as exp(exclusive-cumsum(log)) via a triangular MatMul,
// depth = Σw·t̄/Σw (NaN → +∞, clamped to the depth range), features mapped by ·2 − 1.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Rendering;

/// <summary>Marcher output: features [N,M,C] (already ·2−1), depth [N,M,1], weights [N,M,K−1,1].</summary>
internal sealed record MarchResult(Tensor Rgb, Tensor Depth, Tensor Weights);

internal static class RayMarcher
{
    /// <summary>Composites K samples per ray. colors [N,M,K,C], densities [N,M,K,1], depths [N·M·K] (host, sorted per ray).
    /// The depth is clamped to <paramref name="depthRange"/> (default: min/max over all of <paramref name="depths"/>).</summary>
    public static MarchResult March(Tensor colors, Tensor densities, float[] depths, bool whiteBack, (float Min, float Max)? depthRange = null)
    {
        int n = colors.Shape[0], m = colors.Shape[1], k = colors.Shape[2], c = colors.Shape[3];
        var be = colors.Backend;
        int k1 = k - 1;
        var deltas = new float[n * m * k1];
        var mids = new float[n * m * k1];
        float dmin = float.PositiveInfinity, dmax = float.NegativeInfinity;
        for (int r = 0; r < n * m; r++)
        {
            for (int s = 0; s < k1; s++)
            {
                float a = depths[r * k + s], b = depths[r * k + s + 1];
                deltas[r * k1 + s] = b - a;
                mids[r * k1 + s] = (a + b) / 2f;
            }
            for (int s = 0; s < k; s++) { dmin = MathF.Min(dmin, depths[r * k + s]); dmax = MathF.Max(dmax, depths[r * k + s]); }
        }
        var range = depthRange ?? (dmin, dmax);

        var colorsMid = (colors.Slice(2, 0, k1) + colors.Slice(2, 1, k1)) / 2f;                 // [N,M,K−1,C]
        var densMid = ((densities.Slice(2, 0, k1) + densities.Slice(2, 1, k1)) / 2f - 1f).Softplus();
        var densityDelta = densMid * Tensor.FromArray(be, deltas, n, m, k1, 1);
        var alpha = 1f - (-densityDelta).Exp();
        var shifted = (1f - alpha) + 1e-10f;                                                      // 1 − α_j + 1e−10
        var logT = shifted.Log().Reshape(n * m, k1).MatMul(StrictUpper(be, k1));               // Σ_{j<k} log(...)
        var weights = alpha * logT.Exp().Reshape(n, m, k1, 1);                                   // [N,M,K−1,1]
        var wRow = weights.Reshape(n * m, 1, k1);
        var rgb = wRow.MatMul(colorsMid.Reshape(n * m, k1, c)).Reshape(n, m, c);                 // Σ_k w_k·c̄_k
        var total = weights.Sum([2]);                                                            // [N,M,1]
        var num = wRow.MatMul(Tensor.FromArray(be, mids, n * m, k1, 1)).Reshape(n, m, 1);        // Σ_k w_k·t̄_k
        var depth = Depth(num, total, range);
        if (whiteBack) rgb = rgb + (1f - total);
        return new MarchResult(rgb * 2f - 1f, depth, weights);
    }

    /// <summary>Σw·t̄ / Σw with EG3D's nan_to_num(+∞) for rays of zero total weight, then the clamp.</summary>
    static Tensor Depth(Tensor num, Tensor total, (float Min, float Max) range)
    {
        var tot = total.ToArray();
        if (!tot.Any(v => v == 0f)) return (num / total).Clamp(range.Min, range.Max);
        var zero = Tensor.FromArray(total.Backend, tot.Select(v => v == 0f ? 1f : 0f).ToArray(), total.Shape);
        var safe = num / (total + zero) * (1f - zero) + zero * range.Max;
        return safe.Clamp(range.Min, range.Max);
    }

    static readonly Dictionary<(IBackend, int), Tensor> Triangles = new();

    /// <summary>U [K, K] with U[j, k] = 1 for j &lt; k: row-vector · U is the exclusive cumulative sum.</summary>
    static Tensor StrictUpper(IBackend backend, int k)
    {
        lock (Triangles)
        {
            if (Triangles.TryGetValue((backend, k), out var t)) return t;
            var u = new float[k * k];
            for (int j = 0; j < k; j++) for (int q = j + 1; q < k; q++) u[j * k + q] = 1f;
            using (Engine.Autograd.GradMode.NoGrad())
            using (var s = TensorScope.Begin()) t = s.Forget(Tensor.FromArray(backend, u, k, k));
            Triangles[(backend, k)] = t;
            return t;
        }
    }
}
