// MyStyle's α⁺ projection (spec algorithms.md §3.2): finds anchor coefficients whose latent w = â·A renders, from the
// photo's camera with const noise, into an image whose degradation D matches the degraded target under LPIPS-alex +
// MSE, plus the regulariser R. Each step renders through the generator in bounded memory (StagedBackward, gradient on a
// detached ws leaf), pushes that gradient through the α⁺ graph with R, and takes one Adam step on α (and Δ). Deterministic.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Training;
using My3DGen.Tasks.Editing;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Restoration;

/// <summary>The terms of the projection loss: <paramref name="Total"/> = LPIPS + w·MSE + R (LPIPS and MSE of the degraded render).</summary>
public sealed record AlphaPlusLosses(float Total, float Lpips, float Mse, float Regularization);

/// <summary>Progress after <paramref name="Step"/> of <paramref name="Steps"/> steps, with the losses before that step.</summary>
public sealed record AlphaPlusProgress(int Step, int Steps, AlphaPlusLosses Losses, TimeSpan Elapsed);

/// <summary>What an α⁺ projection found.</summary>
/// <param name="Ws">The latent w = â·A, num_ws·w_dim floats.</param>
/// <param name="Alpha">The coefficients â [num_ws, N] (rows sum to 1, entries ≥ −β approximately): MyStyle's saved "alpha".</param>
/// <param name="Reconstruction">The latent's render from the photo's camera (const noise), CHW 3·R·R floats in about [−1,1].</param>
/// <param name="Initial">The losses at the start (α = 1/N, Δ = 0).</param>
/// <param name="Final">The losses of the final coefficients.</param>
/// <param name="LossHistory">The total loss before every step.</param>
public sealed record AlphaPlusResult(float[] Ws, double[,] Alpha, float[] Reconstruction, AlphaPlusLosses Initial, AlphaPlusLosses Final, IReadOnlyList<float> LossHistory)
{
    /// <summary>The result as an <see cref="AlphaLatent"/> of <paramref name="anchors"/> (the ones projected onto), e.g. for `edit`.</summary>
    public AlphaLatent ToAlphaLatent(AnchorSet anchors) => new(anchors, Alpha);
}

/// <summary>Projects one degraded photo into a person's α⁺ space. Not thread-safe.</summary>
public sealed class AlphaPlusProjector : IDisposable
{
    /// <summary>LPIPS-alex needs images of at least this side (AlexNet's strided first layers and pools).</summary>
    public const int MinLossSide = 32;
    readonly Eg3dGenerator _gen;
    readonly Lpips _alex;
    readonly IDegradation _degradation;
    readonly float[] _camera;
    readonly Tensor _target;
    readonly AlphaPlusCoefficients _coefficients;
    readonly Adam _optimizer;
    readonly AlphaPlusLosses _initial;
    readonly List<float> _history = [];

    /// <summary>The settings.</summary>
    public AlphaPlusOptions Options { get; }
    /// <summary>Steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>Sets up α = 1/N, Δ = 0 over <paramref name="anchors"/>. <paramref name="degradedTarget"/> is the target already degraded once,
    /// CHW 3·S·S floats in [−1,1] with S = <paramref name="degradation"/>.OutputSide(R); <paramref name="camera"/> is its 25-float label.</summary>
    /// <exception cref="Models.Lora.InvalidOptionException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The anchors, target or camera do not fit the generator, S &lt; 32, or <paramref name="alex"/> is not LPIPS-alex.</exception>
    public AlphaPlusProjector(Eg3dGenerator generator, Lpips alex, AnchorSet anchors, AlphaPlusOptions options, IDegradation degradation,
        float[] degradedTarget, float[] camera)
    {
        options.Validate();
        var cfg = generator.Config;
        if (alex.Net != LpipsNet.Alex) throw new ArgumentException($"the α⁺ projection's loss is LPIPS-alex, got LPIPS-{alex.Net}", nameof(alex));
        if (anchors.NumWs != cfg.NumWs || anchors.WDim != cfg.WDim)
            throw new ArgumentException($"anchors are [{anchors.NumWs},{anchors.WDim}], the generator takes [{cfg.NumWs},{cfg.WDim}]", nameof(anchors));
        int side = degradation.OutputSide(cfg.ImgResolution);
        if (side < MinLossSide) throw new ArgumentException($"the degraded image is {side}x{side}; LPIPS-alex needs at least {MinLossSide}x{MinLossSide}", nameof(degradation));
        if (degradedTarget.Length != 3 * side * side)
            throw new ArgumentException($"the degraded target has {degradedTarget.Length} values, expected 3x{side}x{side} ({degradation.Name})", nameof(degradedTarget));
        Models.Cameras.CameraLabel.Validate(camera, "camera");
        _gen = generator; _alex = alex; Options = options; _degradation = degradation; _camera = camera;
        _target = Tensor.FromArray(generator.Backend, degradedTarget, 1, 3, side, side);
        _coefficients = new AlphaPlusCoefficients(generator.Backend, anchors, options);
        _optimizer = new Adam(_coefficients.Trainables, options.LearningRate, 0.9f, 0.999f, 1e-8f);
        _initial = Evaluate();
    }

    /// <summary>One Adam step; returns the losses before it.</summary>
    public AlphaPlusLosses TrainStep()
    {
        float lp = 0, mse = 0, reg;
        using (var scope = TensorScope.Begin())
        {
            var w = _coefficients.Latent(_coefficients.Constrained());
            var ws = w.Detach().Contiguous(forceCopy: true);
            ws.RequiresGrad = true;
            StagedBackward.Run(_gen, ws, _camera, _gen.Config.NeuralRenderingResolution, deterministic: true, seed: 0, (image, _) =>
            {
                var (l, m) = Terms(image);
                lp = l.Item(); mse = m.Item();
                return l * Options.LpipsWeight + m * Options.MseWeight;
            });
            var r = _coefficients.Regularization();
            reg = r.Item();
            // One backward for both parts: d/dθ of (w · ∂L/∂w) + R is the full gradient.
            var surrogate = (w * ws.Grad!).Sum() + r;
            surrogate.Backward();
            ws.Grad!.Dispose(); ws.Grad = null;
        }
        _optimizer.Step();
        _optimizer.ZeroGrad();
        Step++;
        var losses = new AlphaPlusLosses(Options.LpipsWeight * lp + Options.MseWeight * mse + reg, lp, mse, reg);
        _history.Add(losses.Total);
        return losses;
    }

    /// <summary>Runs the remaining steps, reporting each; cancellation is checked before every step. Returns <see cref="Result"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public AlphaPlusResult Run(IProgress<AlphaPlusProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        while (Step < Options.Steps)
        {
            cancel.ThrowIfCancellationRequested();
            var losses = TrainStep();
            progress?.Report(new AlphaPlusProgress(Step, Options.Steps, losses, clock.Elapsed));
        }
        return Result();
    }

    /// <summary>The current latent w = â·A (num_ws·w_dim floats).</summary>
    public float[] Latent()
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        return _coefficients.Latent(_coefficients.Constrained()).ToArray();
    }

    /// <summary>The losses of the current coefficients (no step).</summary>
    public AlphaPlusLosses Evaluate()
    {
        using var image = PivotalTuner.RenderPivot(_gen, Latent(), _camera);
        return Losses(image);
    }

    /// <summary>The current latent, coefficients, reconstruction and losses.</summary>
    public AlphaPlusResult Result()
    {
        var ws = Latent();
        using var image = PivotalTuner.RenderPivot(_gen, ws, _camera);
        return new AlphaPlusResult(ws, _coefficients.ConstrainedValues(), image.ToArray(), _initial, Losses(image), _history.ToArray());
    }

    AlphaPlusLosses Losses(Tensor image)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var (l, m) = Terms(image);
        float lp = l.Item(), mse = m.Item(), reg = _coefficients.Regularization().Item();
        return new AlphaPlusLosses(Options.LpipsWeight * lp + Options.MseWeight * mse + reg, lp, mse, reg);
    }

    (Tensor Lpips, Tensor Mse) Terms(Tensor image)
    {
        var d = _degradation.Apply(image);
        return (_alex.Distance(d, _target).Sum(), (d - _target).Square().Mean());
    }

    /// <summary>Frees the optimiser, the coefficients and the target.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _coefficients.Dispose();
        _target.Dispose();
    }
}
