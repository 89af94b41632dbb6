// `my3dgen prepare <photos...> -o <person>`: raw photos → EG3D-aligned 512² crops with camera labels (dataset.json,
// mirrored copies unless --no-mirror), prepare.json and a contact sheet, with the bundled face models. One line per
// photo (accepted, or rejected and why); unreadable files are reported and skipped, never abort the batch.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Faces.Preparation;

namespace My3DGen.Cli.Commands;

internal static class PrepareCommand
{
    /// <summary>The `prepare` verb.</summary>
    public static Command Create(CliSession s)
    {
        var photos = new Argument<string[]>("photos") { Description = "photo files or folders of photos (JPEG, PNG, ...; EXIF orientation honoured)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "person folder to write (aligned PNGs, dataset.json, prepare.json, contact-sheet.png)", Required = true };
        var noMirror = new Option<bool>("--no-mirror") { Description = "do not write mirrored copies with flipped poses" };
        var single = new Option<bool>("--single-face") { Description = "reject photos with more than one face instead of keeping the largest" };
        var minScore = new Option<float>("--min-score") { Description = "minimum face detector score", DefaultValueFactory = _ => 0.75f };
        var maxYaw = new Option<float>("--max-yaw") { Description = "largest accepted |yaw| in degrees", DefaultValueFactory = _ => 60f };
        var maxPitch = new Option<float>("--max-pitch") { Description = "largest accepted |pitch| in degrees", DefaultValueFactory = _ => 40f };
        var size = new Option<int>("--size") { Description = "side of the aligned crops in pixels (the model's resolution)", DefaultValueFactory = _ => 512 };
        var cmd = CliSession.With(s.Verb("prepare", "align raw photos EG3D-style and estimate their camera labels (dataset.json) with the bundled face models",
                "my3dgen prepare photos/ -o person/",
                "my3dgen prepare a.jpg b.jpg -o person/ --no-mirror --json",
                "my3dgen prepare photos/ -o person/ --size 256"),
            output, noMirror, single, minScore, maxYaw, maxPitch, size);
        cmd.Arguments.Add(photos);
        cmd.SetAction(p =>
        {
            var options = new PrepareOptions
            {
                Mirror = !p.GetValue(noMirror), Size = OptionChecks.InRange(p.GetValue(size), "--size", 16, 4096), RejectMultipleFaces = p.GetValue(single),
                MinScore = OptionChecks.Finite(p.GetValue(minScore), "--min-score", 0, 1),
                MaxYaw = OptionChecks.Finite(p.GetValue(maxYaw), "--max-yaw", 0, 180), MaxPitch = OptionChecks.Finite(p.GetValue(maxPitch), "--max-pitch", 0, 90),
            };
            var files = FacePreparer.ExpandInputs(p.GetValue(photos)!);
            if (files.Count == 0) throw new UsageException("no photos found in the given folders");
            var summary = PreparationStep.Run(s, files, p.GetValue(output)!, options);
            var o = s.Output;
            o.Result(new JsonObject
            {
                ["ok"] = true, ["folder"] = Path.GetFullPath(summary.Folder), ["accepted"] = summary.AcceptedCount, ["rejected"] = summary.Photos.Count - summary.AcceptedCount,
                ["datasetJson"] = summary.DatasetJson, ["prepareJson"] = summary.PrepareJson, ["contactSheet"] = summary.ContactSheet,
            });
            return summary.AcceptedCount > 0 ? ExitCodes.Ok : ExitCodes.UserError;
        });
        return cmd;
    }
}
