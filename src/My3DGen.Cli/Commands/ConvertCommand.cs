// `my3dgen convert <in> -o <out.safetensors> [--key G_ema]`: turns an EG3D .pkl, a torch .pt/.pth
// (legacy, zip or TorchScript) or a .npy latent into safetensors (written atomically), with progress.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Models.Api;
using My3DGen.WeightsConverter;

namespace My3DGen.Cli.Commands;

internal static class ConvertCommand
{
    /// <summary>The `convert` verb.</summary>
    public static Command Create(CliSession s)
    {
        var input = new Argument<string>("input") { Description = "EG3D .pkl, torch .pt/.pth, TorchScript .pt or .npy file" };
        var output = new Option<string>("--output", "-o") { Description = "output .safetensors path", Required = true };
        var key = new Option<string?>("--key") { Description = "top-level entry of a snapshot to convert (default: G_ema when present)" };
        var adapterOut = new Option<string?>("--adapter-out") { Description = "for a My3DGen LoRA snapshot: write its trained LoRA factors here as an adapter (.lora.safetensors) of the converted base" };
        var cmd = CliSession.With(s.Verb("convert", "convert weights to safetensors (nothing in the input is executed)",
                "my3dgen convert ffhqrebalanced512-128.pkl -o eg3d.safetensors",
                "my3dgen convert snapshot.pkl --key G -o g.safetensors --json",
                "my3dgen convert network-snapshot-000500.pkl -o base.safetensors --adapter-out me.lora.safetensors"), output, key, adapterOut);
        cmd.Arguments.Add(input);
        cmd.SetAction(parse =>
        {
            string inPath = OptionChecks.InputFile(parse.GetValue(input)!, "convert"), outPath = parse.GetValue(output)!;
            string? loraPath = parse.GetValue(adapterOut);
            if (loraPath != null && Path.GetFullPath(loraPath) == Path.GetFullPath(outPath)) throw new UsageException("--adapter-out must differ from --output");
            foreach (var path in loraPath == null ? [outPath] : new[] { outPath, loraPath })
            {
                OutputPaths.PrepareFile(path);
                OutputPaths.RemoveStaleTemps(path);
            }
            var o = s.Output;
            var r = ProgressDisplay.Run(o, d => WeightsConverter.WeightsConverter.Convert(inPath, outPath, new ConvertOptions { Key = parse.GetValue(key), ExtractMy3DGenLora = loraPath != null },
                new ProgressDisplay.Sync<ConvertProgress>(p =>
                {
                    if (p.Stage != ConvertStage.Done) d.Update(p.Stage == ConvertStage.Reading ? "reading" : "writing", p.Done, p.Total, $"{p.Done / 1048576.0:F1} of {p.Total / 1048576.0:F1} MiB");
                }), s.Cancel));
            o.Line($"wrote {r.OutputPath}: {r.TensorCount} tensors, {r.ParameterCount:N0} values, {r.BytesWritten / 1048576.0:F1} MiB" +
                (r.Key != null ? $" (key {r.Key})" : "") + $", format {r.Format}");
            long? loraValues = r.Lora == null ? null : My3DGenAdapterExport.Write(r.Lora, outPath, inPath, loraPath!);
            if (r.Lora != null)
                o.Line($"wrote {loraPath}: My3DGen LoRA rank {r.Lora.Rank}, alpha {r.Lora.Alpha:G}, {r.Lora.Factors.Count} factors ({loraValues:N0} values) + trained biases");
            o.Result(new JsonObject { ["ok"] = true, ["out"] = Path.GetFullPath(r.OutputPath), ["tensors"] = r.TensorCount, ["values"] = r.ParameterCount,
                ["bytes"] = r.BytesWritten, ["key"] = r.Key, ["format"] = r.Format,
                ["adapter"] = r.Lora == null ? null : new JsonObject { ["out"] = Path.GetFullPath(loraPath!), ["rank"] = r.Lora.Rank, ["alpha"] = r.Lora.Alpha,
                    ["scaling"] = r.Lora.Scaling, ["factors"] = r.Lora.Factors.Count, ["values"] = loraValues } });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
