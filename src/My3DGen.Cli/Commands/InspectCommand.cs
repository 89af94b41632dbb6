// `my3dgen inspect <file> [--key K]`: shows what a weight file holds (tensors, shapes, dtypes, the
// configuration metadata and, for pickles, every global it references) without converting it.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.WeightsConverter;

namespace My3DGen.Cli.Commands;

internal static class InspectCommand
{
    /// <summary>The `inspect` verb.</summary>
    public static Command Create(CliSession s)
    {
        var file = new Argument<string>("file") { Description = ".pkl, .pt/.pth, .npy or .safetensors file" };
        var key = new Option<string?>("--key") { Description = "top-level entry of a snapshot to list (default: G_ema when present)" };
        var cmd = CliSession.With(s.Verb("inspect", "list the tensors, configuration and pickle globals of a weight file",
            "my3dgen inspect ffhqrebalanced512-128.pkl", "my3dgen inspect eg3d.safetensors --json"), key);
        cmd.Arguments.Add(file);
        cmd.SetAction(parse =>
        {
            var rep = WeightsInspector.Inspect(OptionChecks.InputFile(parse.GetValue(file)!, "inspect"), parse.GetValue(key));
            var o = s.Output;
            o.Line($"{rep.Path}: {rep.Container}" + (rep.SelectedKey != null ? $", key {rep.SelectedKey}" : "") + $", {rep.Tensors.Count} tensors, {rep.ParameterCount:N0} values");
            if (rep.TopLevelKeys.Count > 0) o.Line($"top-level keys: {string.Join(", ", rep.TopLevelKeys)}");
            if (rep.Globals.Count > 0) o.Line($"globals referenced ({rep.Globals.Count}): {string.Join(", ", rep.Globals)}");
            foreach (var (k, v) in rep.Metadata) o.Line($"{k} = {v}");
            o.Table(["tensor", "dtype", "shape"], rep.Tensors.Select(t => new[] { t.Name, t.DType.ToString(), $"[{string.Join(", ", t.Shape)}]" }));
            o.Result(new JsonObject
            {
                ["ok"] = true, ["path"] = rep.Path, ["container"] = rep.Container, ["key"] = rep.SelectedKey, ["values"] = rep.ParameterCount,
                ["topLevelKeys"] = new JsonArray(rep.TopLevelKeys.Select(k => (JsonNode)k!).ToArray()),
                ["globals"] = new JsonArray(rep.Globals.Select(g => (JsonNode)g!).ToArray()),
                ["metadata"] = new JsonObject(rep.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["tensors"] = new JsonArray(rep.Tensors.Select(t => (JsonNode)new JsonObject
                    { ["name"] = t.Name, ["dtype"] = t.DType.ToString(), ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()) }).ToArray()),
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
