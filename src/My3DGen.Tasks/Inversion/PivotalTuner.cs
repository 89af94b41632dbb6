// PTI's second stage (spec algorithms.md §2): with the pivot latent fixed, trains a tuning set (a LoRA set stacked on the
// person's merged adapter, or every generator weight) so the pivot's deterministic render from the photo's camera
// (const noise) matches the photo under MSE + LPIPS-alex, one Adam step per iteration, through the generator in bounded
// memory (StagedBackward). Disposing the tuner removes the tuning and leaves the person's model exactly as it was.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Lora;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Synthesis;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Personalization.Training;

namespace My3DGen.Tasks.Inversion;

/// <summary>Progress of pivotal tuning after <paramref name="Step"/> of <paramref name="Steps"/> steps.</summary>
public sealed record TuningProgress(int Step, int Steps, float Loss, float Mse, float Lpips, TimeSpan Elapsed);

/// <summary>Tunes a generator to one photo around a fixed pivot latent. Not thread-safe.</summary>
public sealed class PivotalTuner : IDisposable
{
    readonly Eg3dGenerator _gen;
    readonly Lpips _alex;
    readonly float[] _pivot, _camera;
    readonly Tensor _target, _targetForLoss;
    readonly Adam _optimizer;
    /// <summary>The tuned tensors (attached to the generator until <see cref="Dispose"/>); save them with <see cref="AdapterFile.Save"/>.</summary>
    public TrainableSet Trainables { get; }
    /// <summary>The settings.</summary>
    public PivotalTuningOptions Options { get; }
    /// <summary>Steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>Merges an attached (person's) LoRA set into the weights, then attaches the tuning set on top of it.
    /// <paramref name="pivot"/> is num_ws·w_dim floats, <paramref name="camera"/> 25 floats, <paramref name="target"/> 3·R·R in [−1,1].</summary>
    /// <exception cref="InvalidOptionException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The pivot, camera or target does not fit the generator, or <paramref name="alex"/> is not LPIPS-alex.</exception>
    public PivotalTuner(Eg3dGenerator generator, Lpips alex, PivotalTuningOptions options, float[] pivot, float[] camera, float[] target)
    {
        options.Validate();
        var cfg = generator.Config;
        int res = cfg.ImgResolution;
        if (alex.Net != LpipsNet.Alex) throw new ArgumentException($"PTI's loss is LPIPS-alex, got LPIPS-{alex.Net}", nameof(alex));
        if (pivot.Length != cfg.NumWs * cfg.WDim) throw new ArgumentException($"pivot has {pivot.Length} values, expected {cfg.NumWs}·{cfg.WDim}", nameof(pivot));
        if (target.Length != 3 * res * res) throw new ArgumentException($"target has {target.Length} values, expected 3·{res}·{res}", nameof(target));
        if (res > options.LossResolution && res % options.LossResolution != 0)
            throw new InvalidOptionException("loss resolution", $"the model renders {res}², which does not area-downsample to {options.LossResolution}² by an integer factor");
        Models.Cameras.CameraLabel.Validate(camera, "camera");
        _gen = generator; _alex = alex; Options = options; _pivot = pivot; _camera = camera;
        generator.AttachedLora?.Merge();
        Trainables = new TrainableSet(generator, options.Full ? null : new LoraOptions(options.Rank, options.Alpha, options.Seed), trainDecoder: false);
        foreach (var (_, t) in Trainables.Named) t.RequiresGrad = true;
        using (GradMode.NoGrad())
        {
            _target = Tensor.FromArray(generator.Backend, target, 1, 3, res, res);
            _targetForLoss = ProjectionLoss.AreaDownsample(_target, options.LossResolution).Contiguous(forceCopy: true);
        }
        _optimizer = new Adam(Trainables.Named.Select(n => n.Value), options.LearningRate, 0.9f, 0.999f, 1e-8f);
    }

    /// <summary>One Adam step on MSE + LPIPS-alex of the pivot's render; returns (loss, MSE, LPIPS) before the step.</summary>
    public (float Loss, float Mse, float Lpips) TrainStep()
    {
        float mse, lp;
        using (var scope = TensorScope.Begin())
        {
            var ws = Tensor.FromArray(_gen.Backend, _pivot, 1, _gen.Config.NumWs, _gen.Config.WDim);
            var parts = Tensor.Zeros(_gen.Backend, [2]);        // (MSE, LPIPS), read back after the backward
            StagedBackward.RunOnDevice(_gen, ws, _camera, _gen.Config.NeuralRenderingResolution, deterministic: true, seed: 0, (image, _) =>
            {
                var m = (image - _target).Square().Mean();
                var l = _alex.Distance(ProjectionLoss.AreaDownsample(image, Options.LossResolution), _targetForLoss).Sum();
                using (GradMode.NoGrad()) parts.AssignFrom(ShapeOps.Concat([m.Reshape(1), l.Reshape(1)], 0));
                return m * Options.MseWeight + l * Options.LpipsWeight;
            });
            var v = parts.ToArray();
            mse = v[0]; lp = v[1];
        }
        _optimizer.Step();
        _optimizer.ZeroGrad();
        Step++;
        return (Options.MseWeight * mse + Options.LpipsWeight * lp, mse, lp);
    }

    /// <summary>Runs the remaining steps, reporting each; cancellation is checked before every step.</summary>
    public void Run(IProgress<TuningProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        while (Step < Options.Steps)
        {
            cancel.ThrowIfCancellationRequested();
            var (loss, mse, lp) = TrainStep();
            progress?.Report(new TuningProgress(Step, Options.Steps, loss, mse, lp, clock.Elapsed));
        }
    }

    /// <summary>The pivot's deterministic render from the photo's camera (or <paramref name="camera"/>), [1,3,R,R]; the caller owns it.</summary>
    public Tensor Render(float[]? camera = null) => RenderPivot(_gen, _pivot, camera ?? _camera);

    /// <summary>LPIPS-alex (at the loss resolution) and MSE of the current render to the photo.</summary>
    public (float Lpips, float Mse) Evaluate()
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var image = Render();
        float lp = _alex.Distance(ProjectionLoss.AreaDownsample(image, Options.LossResolution), _targetForLoss).Sum().Item();
        float mse = (image - _target).Square().Mean().Item();
        image.Dispose();
        return (lp, mse);
    }

    /// <summary>Deterministic const-noise render of <paramref name="ws"/> from <paramref name="camera"/>, [1,3,R,R].</summary>
    public static Tensor RenderPivot(Eg3dGenerator gen, float[] ws, float[] camera)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var r = gen.Synthesize(Tensor.FromArray(gen.Backend, ws, 1, gen.Config.NumWs, gen.Config.WDim), Tensor.FromArray(gen.Backend, camera, 1, 25),
            new SynthesisOptions { NoiseMode = NoiseMode.Const, Deterministic = true });
        return scope.Keep(r.Image.Contiguous(forceCopy: true));
    }

    /// <summary>Removes the tuning: the generator is the person's (merged) model again, bit for bit.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var (_, t) in Trainables.Named) { t.Grad?.Dispose(); t.Grad = null; }
        Trainables.Dispose();
        _target.Dispose(); _targetForLoss.Dispose();
    }
}
