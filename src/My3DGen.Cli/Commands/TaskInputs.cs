// The inputs shared by the task verbs (interpolate, synthesize, edit): --model, --adapter (optional: base and personalized
// results side by side), --data (the person folder with its anchors) or --anchors, --device, --views / --yaw × --pitch,
// and the progress bar of a task run.
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Personalization.Data;
using My3DGen.Tasks;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Cli.Commands;

/// <summary>Options and loading shared by the task verbs.</summary>
internal sealed class TaskInputs
{
    public Option<string> Model { get; } = new("--model", "-m") { Description = "generator .safetensors (from `my3dgen convert`)", Required = true };
    public Option<string?> Adapter { get; } = new("--adapter") { Description = "personalized adapter (.lora.safetensors); without it the base model renders" };
    public Option<string> Data { get; } = new("--data") { Description = "the person's folder: photos, dataset.json and <image>_latent.npy anchors", Required = true };
    public Option<string?> Anchors { get; } = new("--anchors") { Description = "anchors in one .safetensors (tensor per image name) instead of _latent.npy files" };
    public Option<string?> Device { get; } = DeviceOption.Create();

    /// <summary>The model/adapter/data/device options.</summary>
    public Option[] Options => [Model, Adapter, Data, Anchors, Device];

    /// <summary>Loads the generator (adapter merged; dispose the handle to unmerge), the person's dataset and its anchors.</summary>
    public (Eg3dGenerator Generator, IDisposable? Merged, AnchorSet Anchors, PersonDataset Data) Load(ParseResult p)
    {
        string? adapter = p.GetValue(Adapter), anchors = p.GetValue(Anchors);
        string data = p.GetValue(Data)!;
        if (adapter != null) OptionChecks.InputFile(adapter, "--adapter");
        if (anchors != null) OptionChecks.InputFile(anchors, "--anchors");
        if (File.Exists(data)) throw new DatasetException(data, "is a file; --data takes the folder holding dataset.json");
        var g = Eg3dGenerator.Load(OptionChecks.InputFile(p.GetValue(Model)!, "--model"), DeviceSelector.Create(p.GetValue(Device)));
        var dataset = PersonDataset.Load(data, g.Config.ImgResolution, g.Config.NumWs, g.Config.WDim, anchors);
        return (g, AdapterLoader.Merge(g, adapter), AnchorSet.FromDataset(dataset), dataset);
    }

    /// <summary>"model.safetensors + me.lora.safetensors" or "model.safetensors (base)".</summary>
    public string ModelCaption(ParseResult p) =>
        Path.GetFileName(p.GetValue(Model)!) + (p.GetValue(Adapter) is string a ? $" + {Path.GetFileName(a)}" : " (base)");

    /// <summary>Fixed views from --yaw × --pitch when either is given, else <paramref name="randomCount"/> random views in the paper's range.</summary>
    public static IReadOnlyList<RenderView> Views(Eg3dGenerator g, string? yaw, string? pitch, int randomCount, int seed) =>
        yaw == null && pitch == null ? TaskViews.Random(g, randomCount, seed)
            : RenderViews.FromYawPitch(g, OptionChecks.Floats(yaw ?? "0", "--yaw", MathF.PI), OptionChecks.Floats(pitch ?? "0", "--pitch", MathF.PI / 2));

    /// <summary>Runs <paramref name="body"/> under a progress bar named <paramref name="task"/>.</summary>
    public static T WithProgress<T>(CliSession s, string task, Func<IProgress<TaskProgress>, T> body) =>
        ProgressDisplay.Run(s.Output, d => body(new ProgressDisplay.Sync<TaskProgress>(r =>
            d.Update(task, r.Done, r.Total, $"{r.Detail} ({r.Elapsed.TotalSeconds:F1} s)"))));
}
