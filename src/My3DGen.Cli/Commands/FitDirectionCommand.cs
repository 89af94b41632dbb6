// `my3dgen fit-direction`: an InterFaceGAN-style W direction from latents and attribute scores (top/bottom 2 %, 70/30
// split, linear SVM by dual coordinate descent); writes a unit .npy [1,512] and reports the validation accuracy
// (`my3dgen edit` projects it into a person's anchors' span and prints cos(n_par, n)).
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.IO;
using My3DGen.Tasks;
using My3DGen.Tasks.Editing;

namespace My3DGen.Cli.Commands;

internal static class FitDirectionCommand
{
    /// <summary>The `fit-direction` verb.</summary>
    public static Command Create(CliSession s)
    {
        var latents = new Option<string>("--latents") { Description = ".npy of latents [n,512] (W) or [n,L,512] (W+: layers averaged)", Required = true };
        var scores = new Option<string>("--scores") { Description = ".npy of attribute scores [n] or [n,1] (higher = more of the attribute)", Required = true };
        var ratio = new Option<double>("--ratio") { Description = "fraction of latents taken from each end (InterFaceGAN: 0.02); > 1 is a count", DefaultValueFactory = _ => 0.02 };
        var split = new Option<double>("--split") { Description = "training fraction of each side (InterFaceGAN: 0.7)", DefaultValueFactory = _ => 0.7 };
        var seed = new Option<int>("--seed") { Description = "seed of the split and the solver", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "direction file to write (.npy [1,512], float32)", Required = true };
        var cmd = CliSession.With(s.Verb("fit-direction", "fit an InterFaceGAN-style W direction (linear SVM) from latents and scores",
                "my3dgen fit-direction --latents ws.npy --scores smile.npy -o smile.npy",
                "my3dgen fit-direction --latents ws.npy --scores age.npy --ratio 0.05 -o age.npy --json"),
            latents, scores, ratio, split, seed, output);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            string outPath = p.GetValue(output)!;
            Models.Api.OutputPaths.PrepareFile(outPath);
            var (rows, wDim) = ReadLatents(OptionChecks.InputFile(p.GetValue(latents)!, "--latents"));
            var scorePath = OptionChecks.InputFile(p.GetValue(scores)!, "--scores");
            var sc = NpyFile.Read(scorePath);
            if (!(sc.Shape.Length == 1 || sc.Shape.Length == 2 && sc.Shape[1] == 1)) throw new TaskInputException(scorePath, $"scores have shape [{string.Join(",", sc.Shape)}]; expected [n] or [n,1]");
            if (sc.Shape[0] != rows.Count) throw new TaskInputException(scorePath, $"{sc.Shape[0]} scores for {rows.Count} latents");
            var fit = DirectionFitter.Fit(rows, sc.Data.Select(v => (double)v).ToList(), p.GetValue(ratio), p.GetValue(split), p.GetValue(seed));
            Models.Api.OutputFileException.Guard(outPath, () => DirectionFile.Write(outPath, fit.Direction));
            o.Line($"fitted on {fit.TrainPerSide}+{fit.TrainPerSide} latents ({fit.PerSide} per side): train accuracy {fit.TrainAccuracy:P1}, validation accuracy {fit.ValidationAccuracy:P1}");
            o.Line($"wrote {outPath}");
            o.Result(new JsonObject { ["ok"] = true, ["out"] = Path.GetFullPath(outPath), ["perSide"] = fit.PerSide, ["trainPerSide"] = fit.TrainPerSide,
                ["trainAccuracy"] = fit.TrainAccuracy, ["validationAccuracy"] = double.IsNaN(fit.ValidationAccuracy) ? null : fit.ValidationAccuracy });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Latents [n,D] or [n,L,D] (W+ averaged over layers).</summary>
    static (List<float[]> Rows, int WDim) ReadLatents(string path)
    {
        var arr = NpyFile.Read(path);
        if (arr.Shape.Length is not (2 or 3) || arr.Shape[0] < 1) throw new TaskInputException(path, $"latents have shape [{string.Join(",", arr.Shape)}]; expected [n,512] or [n,L,512]");
        int d = arr.Shape[^1], per = arr.Data.Length / arr.Shape[0], l = per / d;
        return (Enumerable.Range(0, arr.Shape[0]).Select(i => DirectionFitter.MeanOverLayers(arr.Data.AsSpan(i * per, per), l, d)).ToList(), d);
    }
}
