// `my3dgen demo`: the built-in end-to-end personalization run (no downloads), with before/after numbers.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Models.Api;
using My3DGen.Personalization.Demo;
using My3DGen.Personalization.Training;

namespace My3DGen.Cli.Commands;

internal static class DemoCommand
{
    /// <summary>The `demo` verb.</summary>
    public static Command Create(CliSession s)
    {
        var defaults = new DemoOptions { OutputDirectory = "" };
        var outOpt = new Option<string>("--out", "-o") { Description = "output folder", DefaultValueFactory = _ => "my3dgen-demo" };
        var stepsOpt = new Option<int>("--steps") { Description = "training steps (≥ 1)", DefaultValueFactory = _ => 80 };
        var seedOpt = new Option<int>("--seed") { Description = "seed of the generator, the person and the training", DefaultValueFactory = _ => 2024 };
        var lrOpt = new Option<float>("--lr") { Description = "Adam learning rate, in (0, 1]", DefaultValueFactory = _ => defaults.LearningRate };
        var strengthOpt = new Option<float>("--person-strength") { Description = "std of the hidden adapter that defines the synthetic person", DefaultValueFactory = _ => defaults.PersonStrength };
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("demo", "personalize a built-in synthetic person end to end and compare before/after on held-out poses",
                "my3dgen demo", "my3dgen demo --steps 20 -o /tmp/demo --json"),
            outOpt, stepsOpt, seedOpt, lrOpt, strengthOpt, device);
        cmd.SetAction(pr =>
        {
            var opts = new DemoOptions
            {
                OutputDirectory = Path.GetFullPath(pr.GetValue(outOpt)!), Steps = OptionChecks.InRange(pr.GetValue(stepsOpt), "--steps", 1, 1_000_000),
                Seed = OptionChecks.InRange(pr.GetValue(seedOpt), "--seed", 0), LearningRate = OptionChecks.Finite(pr.GetValue(lrOpt), "--lr", 0, 1, aboveMin: true),
                PersonStrength = OptionChecks.Finite(pr.GetValue(strengthOpt), "--person-strength", 0, 100),
            };
            OutputPaths.PrepareFolder(opts.OutputDirectory);
            var o = s.Output;
            var backend = DeviceSelector.Create(pr.GetValue(device));
            o.Line($"device: {backend.Name}");
            var report = ProgressDisplay.Run(o, d => DemoRunner.Run(opts, backend,
                new ProgressDisplay.Sync<string>(d.Message),
                new ProgressDisplay.Sync<TrainingProgress>(p =>
                    d.Update("personalizing", p.Step, p.TotalSteps, $"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} {p.StepsPerSecond:F2} it/s")),
                s.Cancel));
            o.Table(["held-out views", "MSE", "LPIPS (random-weight AlexNet)"],
                [["base generator (before)", $"{report.Before.Mse:F5}", $"{report.Before.Lpips:F5}"],
                 ["personalized (after)", $"{report.After.Mse:F5}", $"{report.After.Lpips:F5}"]]);
            o.Line($"trainable parameters: {report.TrainableCount:N0}; adapter file {report.AdapterBytes / 1024.0:F1} KiB");
            o.Line($"pictures: {report.ContactSheet} (rows: person, base, personalized; columns: held-out poses)");
            o.Line($"loss curve: {report.LossCurve}");
            o.Line($"adapter: {report.Adapter}");
            o.Line($"for the other verbs: -m {report.Generator} --data {report.PersonFolder} (test photos: {report.TestFolder})");
            o.Line($"done in {report.Elapsed.TotalSeconds:F0} s");
            o.Result(new JsonObject { ["ok"] = true, ["out"] = report.OutputDirectory, ["contactSheet"] = report.ContactSheet, ["lossCurve"] = report.LossCurve,
                ["adapter"] = report.Adapter, ["generator"] = report.Generator, ["person"] = report.PersonFolder, ["test"] = report.TestFolder, ["before"] = new JsonObject { ["mse"] = report.Before.Mse, ["lpips"] = report.Before.Lpips },
                ["after"] = new JsonObject { ["mse"] = report.After.Mse, ["lpips"] = report.After.Lpips }, ["trainableParameters"] = report.TrainableCount,
                ["adapterBytes"] = report.AdapterBytes, ["seconds"] = report.Elapsed.TotalSeconds });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
