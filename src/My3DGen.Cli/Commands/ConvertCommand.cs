// `my3dgen convert <in> -o <out.safetensors> [--key G_ema]`: turns an EG3D .pkl, a torch .pt/.pth
// (legacy, zip or TorchScript) or a .npy latent into safetensors, with a progress display.
using System.CommandLine;
using My3DGen.WeightsConverter;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "EG3D .pkl, torch .pt/.pth, TorchScript .pt or .npy file" };
        var output = new Option<string>("--output", "-o") { Description = "output .safetensors path", Required = true };
        var key = new Option<string?>("--key") { Description = "top-level entry of a snapshot to convert (default: G_ema when present)" };
        var cmd = new Command("convert", "convert weights to safetensors (nothing in the input is executed)");
        cmd.Arguments.Add(input);
        cmd.Options.Add(output);
        cmd.Options.Add(key);
        cmd.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            ConvertResult? result = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .Start(ctx =>
                {
                    var reading = ctx.AddTask("reading");
                    var writing = ctx.AddTask("writing", autoStart: false);
                    var progress = new SyncProgress(p =>
                    {
                        var task = p.Stage == ConvertStage.Reading ? reading : writing;
                        if (!task.IsStarted) task.StartTask();
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        if (p.Stage != ConvertStage.Reading) reading.Value = reading.MaxValue;
                    });
                    result = WeightsConverter.WeightsConverter.Convert(inPath, outPath, new ConvertOptions { Key = parse.GetValue(key) }, progress);
                });
            var r = result!;
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(r.OutputPath)}[/]: {r.TensorCount} tensors, {r.ParameterCount:N0} values, {r.BytesWritten / 1048576.0:F1} MiB" +
                (r.Key != null ? $" (key {Markup.Escape(r.Key)})" : "") + $", format {Markup.Escape(r.Format)}");
            return 0;
        });
        return cmd;
    }

    // Runs the callback on the reporting thread (System.Progress would post to the thread pool).
    sealed class SyncProgress(Action<ConvertProgress> report) : IProgress<ConvertProgress>
    {
        public void Report(ConvertProgress value) => report(value);
    }
}
