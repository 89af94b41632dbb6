// The latent projector (spec algorithms.md §1.2, eg3d.md §10.6): per photo, w starts at w̄; each step renders w + annealed
// W noise from the photo's camera (deterministic sampling, the photo's noise maps), takes LPIPS-VGG-256 to the photo plus
// 1e5 × the noise-map regulariser, back-propagates through the generator in bounded memory (StagedBackward), and Adam
// (0.9, 0.999) steps w (and the maps) with the ramped lr; maps are renormalised after each step. Photos run in batches that
// advance in lockstep, each with its own latent, camera, noise maps, optimiser and random stream, so results do not depend
// on the batch size and are deterministic given the seed.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Synthesis;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Projection;

/// <summary>Projects photos into W or W+ of a generator. Not thread-safe; one run at a time.</summary>
public sealed class Projector
{
    readonly Eg3dGenerator _gen;
    readonly ProjectionLoss _loss;
    WStatistics? _frontalStats;
    /// <summary>The run's settings (validated).</summary>
    public ProjectionOptions Options { get; }
    /// <summary>True when the LPIPS-VGG weights are random (then every report says so).</summary>
    public bool RandomLossWeights => _loss.Lpips.IsRandom;

    /// <summary>Validates <paramref name="options"/>; <paramref name="vgg"/> must be LPIPS with the VGG16 backbone.</summary>
    /// <exception cref="Models.Lora.InvalidOptionException">An option is out of range.</exception>
    public Projector(Eg3dGenerator generator, Lpips vgg, ProjectionOptions options)
    {
        options.Validate();
        _gen = generator; _loss = new ProjectionLoss(vgg, options.LossResolution); Options = options;
    }

    /// <summary>w̄ and σ_w for a photo with <paramref name="camera"/> (the frontal statistics are computed once).</summary>
    public WStatistics StatisticsFor(float[] camera) => Options.CondCamera == ConditioningCamera.Frontal
        ? _frontalStats ??= WStatistics.Compute(_gen, WStatistics.FrontalCamera(_gen), Options.WAvgSamples)
        : WStatistics.Compute(_gen, camera, Options.WAvgSamples);

    /// <summary>Projects every target, <see cref="ProjectionOptions.BatchSize"/> at a time. <paramref name="onProjected"/> runs as soon as
    /// a photo's batch finishes (e.g. to write its anchor), so a cancelled run keeps the finished photos. Cancellation is checked
    /// before every step and throws <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="ArgumentException">A target's image or camera does not fit the model.</exception>
    public IReadOnlyList<ProjectionResult> Project(IReadOnlyList<ProjectionTarget> targets, IProgress<ProjectionProgress>? progress = null,
        CancellationToken cancel = default, Action<ProjectionResult>? onProjected = null)
    {
        int res = _gen.Config.ImgResolution;
        if (res > Options.LossResolution && res % Options.LossResolution != 0)
            throw new Models.Lora.InvalidOptionException("--loss-resolution", $"the model renders {res}², which does not area-downsample to {Options.LossResolution}² by an integer factor");
        foreach (var t in targets)
        {
            if (t.Image.Length != 3 * res * res) throw new ArgumentException($"{t.Name}: image has {t.Image.Length} values, expected 3·{res}·{res}", nameof(targets));
            Models.Cameras.CameraLabel.Validate(t.Camera, $"{t.Name}: camera");
        }
        var results = new List<ProjectionResult>();
        var clock = Stopwatch.StartNew();
        long imageSteps = 0, totalImageSteps = (long)targets.Count * Options.Steps;
        for (int first = 0; first < targets.Count; first += Options.BatchSize)
        {
            var batch = targets.Skip(first).Take(Options.BatchSize).ToList();
            var states = new List<ProjectionState>();
            try
            {
                foreach (var t in batch) states.Add(new ProjectionState(_gen, t, StatisticsFor(t.Camera), Options, _loss));
                var startMse = states.Select(s => Mse(Render(s, s.Ws(_gen.Config.NumWs)), s)).ToArray();
                var names = batch.Select(t => t.Name).ToList();
                for (int step = 0; step < Options.Steps; step++)
                {
                    cancel.ThrowIfCancellationRequested();
                    double dist = 0, loss = 0;
                    foreach (var s in states)
                    {
                        var (d, l) = Step(s, step);
                        dist += d; loss += l;
                    }
                    imageSteps += states.Count;
                    double rate = imageSteps / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                    progress?.Report(new ProjectionProgress(first, targets.Count, step + 1, Options.Steps, names, (float)(dist / states.Count),
                        (float)(loss / states.Count), rate, TimeSpan.FromSeconds((totalImageSteps - imageSteps) / Math.Max(1e-9, rate))));
                }
                for (int k = 0; k < states.Count; k++)
                {
                    var r = Finish(states[k], startMse[k]);
                    results.Add(r);
                    onProjected?.Invoke(r);
                }
            }
            finally
            {
                foreach (var s in states) s.Dispose();
            }
        }
        return results;
    }

    /// <summary>One optimisation step of one photo; returns (LPIPS, total loss).</summary>
    internal (float Dist, float Loss) Step(ProjectionState s, int step)
    {
        var be = _gen.Backend;
        int numWs = _gen.Config.NumWs, wDim = _gen.Config.WDim;
        using var scope = TensorScope.Begin();
        float noiseScale = LearningRateSchedule.WNoiseScale(step, Options.Steps, s.Stats.Std, Options.WNoiseFactor);
        float[]? offset = null;
        if (noiseScale > 0)
            using (GradMode.NoGrad()) offset = Tensor.Randn(be, s.Rng, s.W.Shape, noiseScale).ToArray();
        var ws = Tensor.FromArray(be, s.Ws(numWs, offset), 1, numWs, wDim);
        ws.RequiresGrad = true;
        var maps = s.NoiseMaps.Count > 0 ? s.NoiseMaps : null;
        float lpips = float.NaN;
        float dist = StagedBackward.Run(_gen, ws, s.Target.Camera, _gen.Config.NeuralRenderingResolution, deterministic: true, seed: 0,
            (image, _) => Objective(image, s, out lpips), maps);
        float reg = 0;
        if (Options.NoiseMaps == NoiseMapMode.Optimize && Options.NoiseRegularizeWeight > 0)
        {
            var r = NoiseRegularizer.Compute(s.NoiseMaps.Values);
            reg = r.Item();
            (r * Options.NoiseRegularizeWeight).Backward();
        }
        using (GradMode.NoGrad())
        {
            var g = ws.Grad!;
            var wGrad = s.W.Shape[1] == numWs ? g.Contiguous(forceCopy: true) : g.Sum([1], keepDim: true);
            s.W.Grad?.Dispose();
            s.W.Grad = scope.Forget(wGrad);
            g.Dispose(); ws.Grad = null;
        }
        s.Optimizer.LearningRate = LearningRateSchedule.At(step, Options.Steps, Options.LearningRate);
        s.Optimizer.Step();
        s.Optimizer.ZeroGrad();
        if (Options.NoiseMaps == NoiseMapMode.Optimize) NoiseRegularizer.Renormalize(s.NoiseMaps.Values);
        return (float.IsNaN(lpips) ? dist : lpips, dist + Options.NoiseRegularizeWeight * reg);
    }

    /// <summary>The differentiable objective of one photo: LPIPS-VGG at the loss resolution, plus λ·MSE when <see cref="ProjectionOptions.MseWeight"/> is set;
    /// <paramref name="lpips"/> receives the LPIPS part when the objective has an MSE term (NaN otherwise: the objective is the LPIPS).</summary>
    Tensor Objective(Tensor image, ProjectionState s, out float lpips)
    {
        var dist = _loss.Distance(image, s.TargetForLoss);
        lpips = float.NaN;
        if (Options.MseWeight <= 0) return dist;
        lpips = dist.Item();
        return dist + (image - s.TargetImage).Square().Mean() * Options.MseWeight;
    }

    /// <summary>Deterministic render of <paramref name="ws"/> (num_ws·w_dim floats) from the photo's camera with its noise maps, [1,3,R,R].</summary>
    internal Tensor Render(ProjectionState s, float[] ws, float[]? camera = null)
    {
        var be = _gen.Backend;
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var r = _gen.Synthesize(Tensor.FromArray(be, ws, 1, _gen.Config.NumWs, _gen.Config.WDim), Tensor.FromArray(be, camera ?? s.Target.Camera, 1, 25),
            new SynthesisOptions { NoiseMode = NoiseMode.Const, Deterministic = true, NoiseMaps = s.NoiseMaps.Count > 0 ? s.NoiseMaps : null });
        return scope.Keep(r.Image.Contiguous(forceCopy: true));
    }

    static float Mse(Tensor image, ProjectionState s)
    {
        using var scope = TensorScope.Begin();
        using var ng = GradMode.NoGrad();
        float v = (image - s.TargetImage).Square().Mean().Item();
        image.Dispose();
        return v;
    }

    ProjectionResult Finish(ProjectionState s, float startMse)
    {
        var ws = s.Ws(_gen.Config.NumWs);
        using var scope = TensorScope.Begin();
        using var ng = GradMode.NoGrad();
        var image = Render(s, ws);
        float lpips = _loss.Distances(image, s.TargetForLoss).Item();
        float mse = (image - s.TargetImage).Square().Mean().Item();
        float psnr = (float)(10 * Math.Log10(4.0 / Math.Max(mse, 1e-12)));
        return new ProjectionResult(s.Target.Name, ws, image.ToArray(), lpips, mse, psnr, startMse);
    }
}
