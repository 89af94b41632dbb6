// MyStyle's α⁺ parameterisation as an autograd graph (spec algorithms.md §3.2): α [1, N] (αᵀ, initialised to 1/N) and
// per-layer offsets Δ [L, N] (initialised to 0) give α⁺ = 1·αᵀ + Δ; the soft constraint ã = softplus_100(α⁺ + β) − β and
// the row normalisation â = ã / Σ_n ã give the latent w_l = Σ_n â_{l,n} A_{n,l}; R is the projection's regulariser.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Restoration;

/// <summary>The trainable α, Δ of an α⁺ projection and the functions of them. Not thread-safe.</summary>
internal sealed class AlphaPlusCoefficients : IDisposable
{
    /// <summary>Added under the square root of ‖Δ_l‖ so its gradient at Δ_l = 0 is 0 (PyTorch's norm subgradient) instead of NaN.</summary>
    const float NormEpsilon = 1e-12f;
    readonly Tensor _anchors;   // [L, N, D]
    readonly AlphaPlusOptions _options;

    /// <summary>αᵀ [1, N], a leaf that requires grad.</summary>
    public Tensor Alpha { get; }
    /// <summary>Δ [L, N], a leaf; requires grad only in W+ mode.</summary>
    public Tensor Deltas { get; }
    /// <summary>L, N, D.</summary>
    public int Layers { get; }
    /// <inheritdoc cref="Layers"/>
    public int Count { get; }
    /// <inheritdoc cref="Layers"/>
    public int WDim { get; }

    /// <summary>α = 1/N, Δ = 0 on <paramref name="backend"/>, with the anchors laid out per layer.</summary>
    public AlphaPlusCoefficients(IBackend backend, AnchorSet anchors, AlphaPlusOptions options)
    {
        Layers = anchors.NumWs; Count = anchors.Count; WDim = anchors.WDim; _options = options;
        var a = new float[Layers * Count * WDim];
        for (int l = 0; l < Layers; l++)
            for (int n = 0; n < Count; n++)
                anchors.Ws(n).AsSpan(l * WDim, WDim).CopyTo(a.AsSpan((l * Count + n) * WDim, WDim));
        _anchors = Tensor.FromArray(backend, a, Layers, Count, WDim);
        Alpha = Tensor.FromArray(backend, Enumerable.Repeat(1f / Count, Count).ToArray(), 1, Count);
        Alpha.RequiresGrad = true;
        Deltas = Tensor.Zeros(backend, [Layers, Count]);
        Deltas.RequiresGrad = options.WPlus;
    }

    /// <summary>The trained leaves (α, and Δ in W+ mode).</summary>
    public IEnumerable<Tensor> Trainables => _options.WPlus ? [Alpha, Deltas] : [Alpha];

    /// <summary>α⁺ = 1·αᵀ + Δ, [L, N].</summary>
    public Tensor AlphaPlus() => Alpha + Deltas;

    /// <summary>â [L, N]: softplus_100(α⁺ + β) − β when β is set, then each row divided by its sum.</summary>
    public Tensor Constrained()
    {
        var a = AlphaPlus();
        if (_options.Beta is float beta) a = (a + beta).Softplus(100f, 20f) - beta;
        return a / a.Sum([1], keepDim: true);
    }

    /// <summary>w = â·A per layer, [1, L, D], from <paramref name="constrained"/> [L, N].</summary>
    public Tensor Latent(Tensor constrained) => constrained.Reshape(Layers, 1, Count).MatMul(_anchors).Reshape(1, Layers, WDim);

    /// <summary>R = w_Δ · Σ_{l &lt; k} ‖Δ_l‖₂ + w_1 · mean_l (Σ_n α⁺_{l,n} − 1)², a scalar.</summary>
    public Tensor Regularization()
    {
        var sumToOne = (AlphaPlus().Sum([1]) - 1f).Square().Mean() * _options.SumToOneRegWeight;
        int k = Math.Min(_options.DeltaLayersToRegularize, Layers);
        if (k == 0 || _options.DeltaRegWeight == 0) return sumToOne;
        var norms = (Deltas.Slice(0, 0, k).Square().Sum([1]) + NormEpsilon).Sqrt();
        return norms.Sum() * _options.DeltaRegWeight + sumToOne;
    }

    /// <summary>The current â as [L, N] doubles.</summary>
    public double[,] ConstrainedValues()
    {
        using var ng = Engine.Autograd.GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var v = Constrained().ToArray();
        var r = new double[Layers, Count];
        for (int l = 0; l < Layers; l++)
            for (int n = 0; n < Count; n++) r[l, n] = v[l * Count + n];
        return r;
    }

    /// <summary>Frees the anchors and the leaves.</summary>
    public void Dispose()
    {
        foreach (var t in new[] { Alpha, Deltas }) { t.Grad?.Dispose(); t.Grad = null; t.Dispose(); }
        _anchors.Dispose();
    }
}
