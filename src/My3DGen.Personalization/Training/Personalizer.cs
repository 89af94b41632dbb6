// The My3DGen trainer: renders each sampled photo's anchor ws from the photo's own camera with the frozen EG3D
// + trainable set, and minimises MSE + LPIPS-alex on the raw image (target antialias-downsampled) and on the
// final image, with Adam. Deterministic given the seed; checkpoints carry everything a resume needs, and a cancelled
// run checkpoints its progress before it stops. The generator is modified (adapters attached) until the trainer is disposed.
using System.Diagnostics;
using System.Globalization;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Lora;
using My3DGen.Models;
using My3DGen.Models.Synthesis;
using My3DGen.Models.Api;

namespace My3DGen.Personalization.Training;

/// <summary>Personalizes a generator on one person's <see cref="PersonDataset"/>. Creating it attaches the trainable set
/// to the generator, so the generator renders the personalized model (the base while B = 0) until this trainer is
/// disposed; disposing restores the base model exactly. Save the result with <see cref="SaveAdapter"/> before disposing.
/// Not thread-safe; one run at a time.</summary>
public sealed class Personalizer : IDisposable
{
    readonly Eg3dGenerator _gen;
    readonly Lpips _lpips;
    readonly PersonDataset _data;
    readonly Tensor[] _targets, _targetsRaw;
    readonly int _rawRes;
    readonly List<float> _losses = new();
    bool _disposed;
    /// <summary>The run's settings (validated).</summary>
    public PersonalizeOptions Options { get; }
    /// <summary>The tensors being trained (attached to the generator).</summary>
    public TrainableSet Trainables { get; }
    internal Adam Optimizer { get; }
    internal ResumableRandom Rng { get; }
    /// <summary>Steps completed so far.</summary>
    public int Step { get; private set; }
    /// <summary>Total loss of every completed step (for the loss curve).</summary>
    public IReadOnlyList<float> LossHistory => _losses;
    /// <summary>Hash of the base model the adapter is trained on.</summary>
    public string BaseHash => Trainables.BaseHash;
    /// <summary>Content hash of the dataset (names, photos, cameras, anchors): a checkpoint only resumes on the same data.</summary>
    public string DatasetFingerprint => _data.Fingerprint;

    /// <summary>Validates <paramref name="options"/> and attaches the trainable set to <paramref name="generator"/>.</summary>
    /// <exception cref="Models.Lora.InvalidOptionException">An option is out of range (nothing has been changed).</exception>
    /// <exception cref="ArgumentException">The photos' resolution differs from the model's, or the anchors have another number of ws.</exception>
    public Personalizer(Eg3dGenerator generator, Lpips lpips, PersonDataset data, PersonalizeOptions options)
    {
        options.Validate();
        if (data.Resolution != generator.Config.ImgResolution)
            throw new ArgumentException($"images are {data.Resolution}², the model renders {generator.Config.ImgResolution}²");
        if (data.NumWs != generator.Config.NumWs)
            throw new ArgumentException($"anchors have {data.NumWs} ws, the model uses {generator.Config.NumWs}");
        _gen = generator; _lpips = lpips; _data = data; Options = options;
        _rawRes = options.NeuralRenderingResolution ?? generator.Config.NeuralRenderingResolution;
        var be = generator.Backend;
        using (GradMode.NoGrad())
        {
            _targets = data.Samples.Select(s => Tensor.FromArray(be, s.Image, 1, 3, s.Resolution, s.Resolution)).ToArray();
            _targetsRaw = _targets.Select(t => Resampling.ResizeBilinear(t, _rawRes, _rawRes, antialias: true)).ToArray();
        }
        Trainables = new TrainableSet(generator, options.FullFineTune ? null : options.Lora, options.TrainDecoder);
        // My3DGen's gradient sanitising (NaN → 0, ±inf → ±1e5) runs inside the Adam update on the device.
        Optimizer = new Adam(Trainables.Named.Select(n => n.Value), options.LearningRate, options.Beta1, options.Beta2, 1e-8f) { SanitizeGradients = true };
        Rng = new ResumableRandom((ulong)options.Seed * 0x9E3779B97F4A7C15UL + 1);
    }

    /// <summary>The training objective of one sample: MSE + LPIPS on the raw and the final image.</summary>
    sealed record LossParts(Tensor Total, Tensor Mse128, Tensor Mse512, Tensor Lpips128, Tensor Lpips512);

    LossParts Objective(Tensor image, Tensor raw, int i)
    {
        var mse512 = (image - _targets[i]).Square().Mean();
        var mse128 = (raw - _targetsRaw[i]).Square().Mean();
        var lp512 = _lpips.Distance(image, _targets[i]).Mean();
        var lp128 = _lpips.Distance(raw, _targetsRaw[i]).Mean();
        return new LossParts(mse512 + mse128 + lp512 + lp128, mse128, mse512, lp128, lp512);
    }

    /// <summary>Deterministic render (no depth jitter, const noise) of sample <paramref name="i"/>'s anchor and camera.</summary>
    SynthesisResult RenderDeterministic(int i)
    {
        var be = _gen.Backend;
        var s = _data.Samples[i];
        return _gen.Synthesize(Tensor.FromArray(be, s.Latent, 1, _data.NumWs, _gen.Config.WDim), Tensor.FromArray(be, s.Camera, 1, 25),
            new SynthesisOptions { NoiseMode = NoiseMode.Const, Deterministic = true, NeuralRenderingResolution = _rawRes });
    }

    /// <summary>Mean loss over the whole dataset with deterministic rendering (no jitter); no gradients.</summary>
    public float EvaluateLoss()
    {
        using var ng = GradMode.NoGrad();
        double sum = 0;
        for (int i = 0; i < _data.Samples.Count; i++)
        {
            using var scope = TensorScope.Begin();
            var r = RenderDeterministic(i);
            sum += Objective(r.Image, r.ImageRaw, i).Total.Item();
        }
        return (float)(sum / _data.Samples.Count);
    }

    /// <summary>Number of photos in the dataset.</summary>
    public int SampleCount => _data.Samples.Count;

    /// <summary>The name of sample <paramref name="i"/> (the photo's file name without extension, for a dataset read from a folder).</summary>
    public string SampleName(int i) => _data.Samples[i].Name;

    /// <summary>The photo of sample <paramref name="i"/> as [1,3,R,R] in [−1,1] (owned by the trainer).</summary>
    public Tensor Target(int i) => _targets[i];

    /// <summary>The current model's deterministic render of sample <paramref name="i"/>'s anchor and camera, [1,3,R,R].</summary>
    public Tensor RenderSample(int i)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        return scope.Keep(RenderDeterministic(i).Image.Contiguous(forceCopy: true));
    }

    /// <summary>Runs one optimisation step on a random batch and returns its losses. Each sample goes through
    /// <see cref="StagedBackward"/> (bounded memory); gradients of the batch-mean loss accumulate across samples. The loss
    /// parts are summed on the device and read back once, after the last backward.</summary>
    public TrainingProgress TrainStep()
    {
        var be = _gen.Backend;
        var idx = Enumerable.Range(0, Options.BatchSize).Select(_ => Rng.NextInt(_data.Samples.Count)).ToArray();
        int renderSeed = Rng.NextSeed();
        float inv = 1f / idx.Length;
        float[] sums;
        using (var stepScope = TensorScope.Begin())
        {
            var parts = Tensor.Zeros(be, [5]);                 // batch means of total, MSE 128, MSE 512, LPIPS 128, LPIPS 512
            for (int b = 0; b < idx.Length; b++)
            {
                int i = idx[b];
                using var scope = TensorScope.Begin();
                var ws = Tensor.FromArray(be, _data.Samples[i].Latent, 1, _data.NumWs, _gen.Config.WDim);
                StagedBackward.RunOnDevice(_gen, ws, _data.Samples[i].Camera, _rawRes, deterministic: false, unchecked(renderSeed + 7919 * b), (image, raw) =>
                {
                    var o = Objective(image, raw, i);
                    using (GradMode.NoGrad())
                        parts.AssignFrom(parts + ShapeOps.Concat([o.Total.Reshape(1), o.Mse128.Reshape(1), o.Mse512.Reshape(1),
                            o.Lpips128.Reshape(1), o.Lpips512.Reshape(1)], 0) * inv);
                    return o.Total * inv;
                });
            }
            sums = parts.ToArray();
        }
        Optimizer.Step();
        Optimizer.ZeroGrad();
        Step++;
        _losses.Add(sums[0]);
        return new TrainingProgress(Step, Options.Steps, sums[0], sums[1], sums[2], sums[3], sums[4], 0, TimeSpan.Zero);
    }

    /// <summary>Trains until <see cref="PersonalizeOptions.Steps"/> (from <see cref="Step"/>, e.g. after <see cref="Checkpoint.Load"/>).
    /// Every CheckpointEvery steps (0: never) the state goes to <paramref name="checkpointPath"/>; every PreviewEvery steps
    /// <paramref name="onPreview"/> is called; at the end the adapter is written to <paramref name="adapterPath"/>. Before the
    /// first step both output folders are checked for writability and stale temp files of killed runs are removed.
    /// On cancellation the progress so far is checkpointed (when <paramref name="checkpointPath"/> is given) and then
    /// <see cref="OperationCanceledException"/> is thrown.</summary>
    /// <exception cref="OutputFileException">An output cannot be written (detected before training where possible).</exception>
    public void Run(IProgress<TrainingProgress>? progress = null, string? checkpointPath = null,
        Action<Personalizer>? onPreview = null, CancellationToken cancel = default, string? adapterPath = null)
    {
        foreach (var path in new[] { checkpointPath, adapterPath }.OfType<string>())
        {
            OutputPaths.RemoveStaleTemps(path);
            OutputPaths.PrepareFile(path);
        }
        var sw = Stopwatch.StartNew();
        int startStep = Step;
        while (Step < Options.Steps)
        {
            if (cancel.IsCancellationRequested)
            {
                if (checkpointPath != null && Step > startStep) Checkpoint.Save(this, checkpointPath);
                cancel.ThrowIfCancellationRequested();
            }
            var p = TrainStep();
            double rate = (Step - startStep) / Math.Max(1e-9, sw.Elapsed.TotalSeconds);
            progress?.Report(p with { StepsPerSecond = rate, Eta = TimeSpan.FromSeconds((Options.Steps - Step) / Math.Max(1e-9, rate)) });
            if (checkpointPath != null && Options.CheckpointEvery > 0 && (Step % Options.CheckpointEvery == 0 || Step == Options.Steps))
                Checkpoint.Save(this, checkpointPath);
            if (onPreview != null && Options.PreviewEvery > 0 && (Step % Options.PreviewEvery == 0 || Step == Options.Steps))
                onPreview(this);
        }
        if (adapterPath != null) SaveAdapter(adapterPath);
    }

    /// <summary><see cref="Run"/> on a worker thread; the task ends cancelled (after checkpointing) when <paramref name="cancel"/> fires.</summary>
    public Task RunAsync(IProgress<TrainingProgress>? progress = null, string? checkpointPath = null,
        Action<Personalizer>? onPreview = null, CancellationToken cancel = default, string? adapterPath = null) =>
        Task.Run(() => Run(progress, checkpointPath, onPreview, cancel, adapterPath));

    /// <summary>Writes the trained set to <paramref name="path"/> (<see cref="AdapterFile"/>), with the step count and the
    /// training settings as provenance metadata.</summary>
    public void SaveAdapter(string path) =>
        AdapterFile.Save(Trainables, path, new Dictionary<string, string>
        {
            ["steps"] = Step.ToString(CultureInfo.InvariantCulture),
            ["training"] = System.Text.Json.JsonSerializer.Serialize(Options),
        });

    /// <summary>Restores a checkpoint written by <see cref="Checkpoint.Save"/> for the same options and data.</summary>
    internal void Restore(int step, ulong rngState, IEnumerable<float> losses)
    {
        Step = step; Rng.State = rngState;
        _losses.Clear(); _losses.AddRange(losses);
    }

    /// <summary>Releases the optimiser state and restores the base generator (adapters removed, trained tensors reset).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Optimizer.Dispose();
        Trainables.Dispose();
        foreach (var t in _targets.Concat(_targetsRaw)) t.Dispose();
    }
}
