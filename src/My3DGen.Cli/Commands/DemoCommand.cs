// `my3dgen demo`: the built-in end-to-end personalization run (no downloads), with before/after numbers.
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Personalization.Demo;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class DemoCommand
{
    public static Command Create()
    {
        var outOpt = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "my3dgen-demo" };
        var stepsOpt = new Option<int>("--steps") { Description = "training steps", DefaultValueFactory = _ => 80 };
        var seedOpt = new Option<int>("--seed") { Description = "seed of the generator, the person and the training", DefaultValueFactory = _ => 2024 };
        var lrOpt = new Option<float>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => new DemoOptions { OutputDirectory = "" }.LearningRate };
        var strengthOpt = new Option<float>("--person-strength") { Description = "std of the hidden adapter that defines the synthetic person", DefaultValueFactory = _ => new DemoOptions { OutputDirectory = "" }.PersonStrength };
        var device = DeviceOption.Create();
        var cmd = new Command("demo", "personalize a built-in synthetic person end to end and compare before/after on held-out poses");
        cmd.Options.Add(outOpt); cmd.Options.Add(stepsOpt); cmd.Options.Add(seedOpt); cmd.Options.Add(lrOpt); cmd.Options.Add(strengthOpt); cmd.Options.Add(device);
        cmd.SetAction(pr =>
        {
            var backend = DeviceSelector.Create(pr.GetValue(device));
            AnsiConsole.MarkupLine($"device: [bold]{Markup.Escape(backend.Name)}[/]");
            var opts = new DemoOptions { OutputDirectory = Path.GetFullPath(pr.GetValue(outOpt)!), Steps = pr.GetValue(stepsOpt), Seed = pr.GetValue(seedOpt),
                LearningRate = pr.GetValue(lrOpt), PersonStrength = pr.GetValue(strengthOpt) };
            var report = TrainingProgressView.Run("personalizing", opts.Steps, (progress, stage) => DemoRunner.Run(opts, backend, stage, progress));
            var table = new Table().AddColumns("held-out views", "MSE", "LPIPS (random-weight AlexNet)");
            table.AddRow("base generator (before)", $"{report.Before.Mse:F5}", $"{report.Before.Lpips:F5}");
            table.AddRow("personalized (after)", $"{report.After.Mse:F5}", $"{report.After.Lpips:F5}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"trainable parameters: {report.TrainableCount:N0}; adapter file {report.AdapterBytes / 1024.0:F1} KiB");
            AnsiConsole.MarkupLine($"pictures: [bold]{Markup.Escape(report.ContactSheet)}[/] (rows: person, before, after)");
            AnsiConsole.MarkupLine($"loss curve: [bold]{Markup.Escape(report.LossCurve)}[/]");
            AnsiConsole.MarkupLine($"adapter: {Markup.Escape(report.Adapter)}");
            AnsiConsole.MarkupLine($"done in {report.Elapsed.TotalSeconds:F0} s");
            return 0;
        });
        return cmd;
    }
}
