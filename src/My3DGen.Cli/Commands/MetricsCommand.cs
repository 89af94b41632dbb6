// `my3dgen metrics`: the paper's metrics on image files. Pairwise (--a/--b, matched by file name): LPIPS-alex/vgg,
// DISTS, PSNR, SSIM, ArcFace ID similarity per pair plus means; set modes --id-sim (formula (2)) and --diversity;
// --json-out writes every number, --show prints the table of a saved JSON. Weights are converted safetensors.
using System.CommandLine;
using My3DGen.Models.Identity;
using My3DGen.Models.Metrics;

namespace My3DGen.Cli.Commands;

internal static class MetricsCommand
{
    /// <summary>The `metrics` verb.</summary>
    public static Command Create(CliSession s)
    {
        var a = new Option<string?>("--a") { Description = "image or folder (pairwise mode; pairs by identical file name)" };
        var b = new Option<string?>("--b") { Description = "image or folder compared with --a (resized to --a's size when sizes differ)" };
        var idSim = new Option<bool>("--id-sim") { Description = "ID_sim (formula (2)) of --generated against --reference" };
        var diversity = new Option<bool>("--diversity") { Description = "Ojha diversity of --generated clustered around --train (LPIPS-vgg at 256²)" };
        var generated = new Option<string?>("--generated") { Description = "folder of generated images (set modes)" };
        var reference = new Option<string?>("--reference") { Description = "folder of the person's reference images (--id-sim)" };
        var train = new Option<string?>("--train") { Description = "folder of the training images (--diversity)" };
        var weights = new MetricWeightOptions();
        var divSize = new Option<int>("--diversity-size") { Description = "side the diversity metric resizes images to (Ojha et al.: 256)", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "images per network batch", DefaultValueFactory = _ => 8 };
        var jsonOut = new Option<string?>("--json-out") { Description = "write every number to this JSON file (pairs, mean, id_sim, diversity, unavailable)" };
        var show = new Option<string?>("--show") { Description = "print the table of a JSON file written by --json-out (computes nothing)" };
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("metrics", "LPIPS, DISTS, PSNR, SSIM, ArcFace identity similarity and diversity of images",
                "my3dgen metrics --a inputs --b recon --alexnet alexnet.safetensors --vgg vgg16.safetensors --lpips-lin alex.safetensors --lpips-lin vgg.safetensors --dists dists.safetensors --arcface arcface.safetensors --json-out metrics.json",
                "my3dgen metrics --id-sim --generated samples --reference person/test --arcface arcface.safetensors",
                "my3dgen metrics --diversity --generated samples --train person/train --vgg vgg16.safetensors --lpips-lin vgg.safetensors",
                "my3dgen metrics --show metrics.json"),
            [a, b, idSim, diversity, generated, reference, train, divSize, .. weights.All, batch, jsonOut, show, device]);
        cmd.SetAction(p =>
        {
            if (p.GetValue(show) is string saved)
            {
                var shown = MetricsRun.ReadJson(OptionChecks.InputFile(saved, "--show"));
                MetricsTable.Print(s.Output, shown);
                s.Output.Result(MetricsRun.Result(shown));
                return ExitCodes.Ok;
            }
            var mode = weights.IdMode(p);
            var request = new MetricsRun.Request(p.GetValue(a), p.GetValue(b), p.GetValue(idSim), p.GetValue(diversity), p.GetValue(generated),
                p.GetValue(reference), p.GetValue(train), mode, OptionChecks.InRange(p.GetValue(batch), "--batch", 1, 256), p.GetValue(jsonOut), p.GetValue(device),
                OptionChecks.InRange(p.GetValue(divSize), "--diversity-size", 32, 1024))
            {
                Weights = weights.Weights(p),
            };
            var report = MetricsRun.Run(s, request);
            MetricsTable.Print(s.Output, report);
            if (request.JsonOut != null) s.Output.Line($"wrote {request.JsonOut}");
            s.Output.Result(MetricsRun.Result(report));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
