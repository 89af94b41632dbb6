// `my3dgen project`: projects every photo of a person folder (aligned photos + dataset.json) that has no anchor yet into
// W or W+ and writes `<image>_latent.npy` + anchors.safetensors (My3DGen's layout), a grid PNG and a CSV table.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Personalization.Data;

namespace My3DGen.Cli.Commands;

internal static class ProjectCommand
{
    /// <summary>The `project` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "base EG3D .safetensors (from `my3dgen convert`)", Required = true };
        var data = new Option<string>("--data") { Description = "folder with aligned photos and dataset.json", Required = true };
        var force = new Option<bool>("--force") { Description = "project photos that already have an anchor again" };
        var report = new Option<string?>("--report") { Description = "path stem of the grid (.png) and table (.csv) (default: <data>/projection)" };
        var random = new Option<bool>("--lpips-random") { Description = "random LPIPS-VGG weights (no downloads; anchors are then not perceptual; every output says so)" };
        var set = new ProjectorOptionSet("");
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("project", "project a person's photos into EG3D's W/W+ space (anchors for personalize)",
                "my3dgen project -m eg3d.safetensors --data me/ --vgg-backbone vgg16.safetensors --vgg-lin lpips-vgg.safetensors",
                "my3dgen project -m eg3d.safetensors --data me/ --vgg-backbone vgg16.safetensors --vgg-lin lpips-vgg.safetensors --space w+ --lr 0.1 --batch 4",
                "my3dgen project -m eg3d.safetensors --data me/ --lpips-random --steps 50"),
            [model, data, force, report, random, .. set.All, device]);
        cmd.SetAction(p =>
        {
            var opts = set.Read(p);
            var vgg = set.Weights(p, p.GetValue(random));
            string folder = p.GetValue(data)!;
            OptionChecks.InputFile(p.GetValue(model)!, "--model");
            if (File.Exists(folder)) throw new DatasetException(folder, "is a file; --data takes the folder holding dataset.json");
            ProjectionRunner.CheckWeights(vgg, "--lpips-random");
            var missing = Personalization.Projection.FolderProjection.MissingAnchors(folder);   // checks the folder and dataset.json
            var backend = DeviceSelector.Create(p.GetValue(device));
            using var gen = Eg3dGenerator.Load(p.GetValue(model)!, backend);
            s.Output.Line($"device: {backend.Name}; {(p.GetValue(force) ? "all" : missing.Count.ToString())} photo(s) to project; {opts.Describe()}");
            s.CancelMessage = "cancelled; anchors of finished photos are kept, rerun to project the rest";
            var r = ProjectionRunner.Run(s, gen, backend, vgg, opts, folder, p.GetValue(force), p.GetValue(report));
            s.Output.Result(new JsonObject
            {
                ["ok"] = true, ["projected"] = new JsonArray(r.Projected.Select(x => (JsonNode)new JsonObject
                    { ["image"] = x.Name, ["lpips"] = x.Lpips, ["mse"] = x.Mse, ["psnr"] = x.Psnr }).ToArray()),
                ["skipped"] = new JsonArray(r.Skipped.Select(x => (JsonNode)x!).ToArray()),
                ["anchors"] = r.Collection, ["grid"] = r.Grid, ["table"] = r.Table, ["randomLpips"] = vgg.Random,
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
