// Adam with PyTorch's exact update rule (bias-corrected step size, eps added after the
// bias-corrected sqrt), running on the parameters' backend. State can be saved for checkpoints.
using My3DGen.Kernels;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Optim;

/// <summary>Adam optimiser over a fixed list of leaf tensors that require grad.</summary>
public sealed class Adam : IDisposable
{
    readonly Tensor[] _params;
    readonly Tensor[] _m, _v;
    /// <summary>Step size (may change between steps).</summary>
    public float LearningRate { get; set; }
    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }
    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }
    /// <summary>Added to the corrected √v.</summary>
    public float Eps { get; }
    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }
    /// <summary>Replace non-finite gradient values (NaN → 0, ±∞ → ±1e5, My3DGen's nan_to_num) inside the update, on the device.</summary>
    public bool SanitizeGradients { get; init; }
    /// <summary>Number of steps taken so far (PyTorch's state['step']).</summary>
    public int StepCount { get; private set; }

    /// <summary>Adam over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
    {
        _params = parameters.ToArray();
        foreach (var p in _params)
            if (!p.IsLeaf || !p.RequiresGrad)
                throw new AutogradException("adam", $"parameter {p} must be a leaf that requires grad");
        LearningRate = lr; Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay;
        _m = _params.Select(p => Tensor.Zeros(p.Backend, p.Shape)).ToArray();
        _v = _params.Select(p => Tensor.Zeros(p.Backend, p.Shape)).ToArray();
    }

    /// <summary>The optimised tensors.</summary>
    public IReadOnlyList<Tensor> Parameters => _params;

    /// <summary>Updates every parameter that has a gradient. Parameters must be contiguous at offset 0.</summary>
    public void Step()
    {
        StepCount++;
        var args = AdamParams.Create(LearningRate, Beta1, Beta2, Eps, WeightDecay, StepCount, SanitizeGradients);
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            if (p.Grad == null) continue;
            if (!p.IsContiguous || p.Offset != 0)
                throw new ShapeMismatchException("adam", $"parameter {p} must be contiguous at offset 0");
            var g = p.Grad.Compact();
            p.Backend.AdamStep(args, p.Storage, g.Storage, _m[i].Storage, _v[i].Storage, (int)p.Numel);
        }
    }

    /// <summary>Drops all gradients (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _params) { p.Grad?.Dispose(); p.Grad = null; }
    }

    /// <summary>Moment tensors for checkpointing: (m, v) per parameter, in parameter order.</summary>
    public (Tensor M, Tensor V) State(int index) => (_m[index], _v[index]);

    /// <summary>Restores the step counter and moments from a checkpoint.</summary>
    public void LoadState(int stepCount, IReadOnlyList<float[]> m, IReadOnlyList<float[]> v)
    {
        if (m.Count != _params.Length || v.Count != _params.Length)
            throw new ArgumentException($"optimiser state holds {m.Count} tensors, expected {_params.Length}");
        StepCount = stepCount;
        for (int i = 0; i < _params.Length; i++)
        {
            _params[i].Backend.Upload(m[i], _m[i].Storage, 0);
            _params[i].Backend.Upload(v[i], _v[i].Storage, 0);
        }
    }

    /// <summary>Frees the moment buffers.</summary>
    public void Dispose()
    {
        foreach (var t in _m) t.Dispose();
        foreach (var t in _v) t.Dispose();
    }
}
