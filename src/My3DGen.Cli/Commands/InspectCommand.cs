// `my3dgen inspect <file> [--key K]`: shows what a weight file holds (tensors, shapes, dtypes, the
// configuration metadata and, for pickles, every global it references) without converting it.
using System.CommandLine;
using My3DGen.WeightsConverter;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = ".pkl, .pt/.pth, .npy or .safetensors file" };
        var key = new Option<string?>("--key") { Description = "top-level entry of a snapshot to list (default: G_ema when present)" };
        var cmd = new Command("inspect", "list the tensors, configuration and pickle globals of a weight file");
        cmd.Arguments.Add(file);
        cmd.Options.Add(key);
        cmd.SetAction(parse =>
        {
            var rep = WeightsInspector.Inspect(parse.GetValue(file)!, parse.GetValue(key));
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(rep.Path)}[/]: {rep.Container}" +
                (rep.SelectedKey != null ? $", key [bold]{Markup.Escape(rep.SelectedKey)}[/]" : "") +
                $", {rep.Tensors.Count} tensors, {rep.ParameterCount:N0} values");
            if (rep.TopLevelKeys.Count > 0) AnsiConsole.MarkupLine($"top-level keys: {Markup.Escape(string.Join(", ", rep.TopLevelKeys))}");
            if (rep.Globals.Count > 0)
            {
                AnsiConsole.MarkupLine($"globals referenced ({rep.Globals.Count}):");
                foreach (var g in rep.Globals) AnsiConsole.MarkupLine($"  {Markup.Escape(g)}");
            }
            foreach (var (k, v) in rep.Metadata) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(k)}[/] = {Markup.Escape(v)}");
            var table = new Table().AddColumns("tensor", "dtype", "shape");
            foreach (var t in rep.Tensors) table.AddRow(Markup.Escape(t.Name), t.DType.ToString(), Markup.Escape($"[{string.Join(", ", t.Shape)}]"));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
