// One `personalize` run after its options are validated: checks inputs and output paths before loading anything,
// projects photos that have no anchor (My3DGen's first step), trains with progress lines, and on Ctrl-C / SIGTERM saves a checkpoint of the steps done so far so --resume continues.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Personalization.Reporting;
using My3DGen.Personalization.Training;

namespace My3DGen.Cli.Commands;

/// <summary>The LPIPS weights chosen on the command line: two converted files, or random weights.</summary>
internal sealed record LpipsChoice(string? Backbone, string? Lin, bool Random);

/// <summary>The files a personalize run wrote.</summary>
internal sealed record PersonalizeResult(string Adapter, string Checkpoint, string Preview, string LossCurve, int Steps, float? FinalLoss);

/// <summary>Runs personalize for validated options.</summary>
internal sealed class PersonalizeRun(CliSession session, PersonalizeOptions opts, string model, string data, string output, string? checkpoint,
    string? anchors, LpipsChoice lpips, bool resume, string? device, ProjectionOptions projection, VggChoice vgg)
{
    readonly string _out = Path.GetFullPath(output);
    string Stem => Path.ChangeExtension(_out, null);

    /// <summary>Trains and writes the adapter, preview and loss curve.</summary>
    public PersonalizeResult Execute()
    {
        string ckpt = Path.GetFullPath(checkpoint ?? Stem + ".ckpt.safetensors"), grid = Stem + ".preview.png", curve = Stem + ".loss.png";
        CheckInputs();
        var unprojected = anchors == null ? FolderProjection.MissingAnchors(data) : [];
        if (unprojected.Count > 0) ProjectionRunner.CheckWeights(vgg, "--lpips-random");
        if (resume && !File.Exists(ckpt)) throw new FileNotFoundException($"{ckpt}: no checkpoint to resume from (--resume)", ckpt);
        foreach (var path in new[] { _out, ckpt, grid, curve })
        {
            OutputPaths.PrepareFile(path);
            OutputPaths.RemoveStaleTemps(path);
        }
        var o = session.Output;
        var backend = DeviceSelector.Create(device);
        var gen = Eg3dGenerator.Load(model, backend);
        if (unprojected.Count > 0)
        {
            o.Line($"{unprojected.Count} photo(s) have no anchor: projecting them first ({projection.Describe()})");
            session.CancelMessage = "cancelled while projecting; anchors of finished photos are kept, rerun to continue";
            ProjectionRunner.Run(session, gen, backend, vgg, projection, data, force: false, reportStem: null);
            session.CancelMessage = null;
        }
        var ds = PersonDataset.Load(data, gen.Config.ImgResolution, gen.Config.NumWs, gen.Config.WDim, anchors);
        using var lp = lpips.Random ? Lpips.CreateRandom(LpipsNet.Alex, 0, backend) : Lpips.Load(LpipsNet.Alex, lpips.Backbone!, lpips.Lin!, backend);
        using var trainer = new Personalizer(gen, lp, ds, opts);
        if (resume)
        {
            Checkpoint.Load(trainer, ckpt);   // refuses another dataset, other settings or a step beyond --steps
            o.Line($"resumed at step {trainer.Step} from {ckpt}");
        }
        o.Line($"device: {backend.Name}; {ds.Samples.Count} photos; trainable parameters: {trainer.Trainables.Count:N0}" + (lp.IsRandom ? " (random LPIPS weights)" : ""));
        try
        {
            ProgressDisplay.Run(o, d =>
            {
                var progress = new ProgressDisplay.Sync<TrainingProgress>(p => d.Update("personalizing", p.Step, p.TotalSteps,
                    $"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} (mse {p.Mse128:F4}/{p.Mse512:F4}, lpips {p.Lpips128:F4}/{p.Lpips512:F4}) {p.StepsPerSecond:F2} it/s"));
                trainer.Run(progress, ckpt, t => TrainingPreview.Write(t, grid, curve), session.Cancel, adapterPath: _out);   // checkpoints every N steps and on cancel
                return 0;
            });
        }
        catch (OperationCanceledException) when (session.Cancel.IsCancellationRequested)
        {
            session.CancelMessage = trainer.Step > 0 ? $"cancelled; resume with --resume (step {trainer.Step} saved in {ckpt})" : "cancelled (no step done)";
            throw;
        }
        TrainingPreview.Write(trainer, grid, curve);
        return new PersonalizeResult(_out, ckpt, grid, curve, trainer.Step, trainer.LossHistory.Count > 0 ? trainer.LossHistory[^1] : null);
    }

    void CheckInputs()
    {
        OptionChecks.InputFile(model, "--model");
        if (File.Exists(data)) throw new DatasetException(data, "is a file; --data takes the folder holding dataset.json");
        if (anchors != null) OptionChecks.InputFile(anchors, "--anchors");
        if (!lpips.Random && (lpips.Backbone == null || lpips.Lin == null))
            throw new UsageException("LPIPS weights are needed: pass --lpips-backbone <alexnet.safetensors> and --lpips-lin <alex.safetensors> (convert them with `my3dgen convert`), or --lpips-random");
        if (!lpips.Random)
        {
            OptionChecks.InputFile(lpips.Backbone!, "--lpips-backbone");
            OptionChecks.InputFile(lpips.Lin!, "--lpips-lin");
        }
    }
}
