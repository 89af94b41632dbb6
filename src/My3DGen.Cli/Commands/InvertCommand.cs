// `my3dgen invert`: PTI on one photo with its camera: W/W+ projection (the projector's options, 600 steps by default),
// then pivotal tuning stored as a small LoRA adapter stacked on the person's adapter (or every weight with --full);
// writes the reconstruction, a novel-view grid, an orbit GIF, pivot.npy, the tuning adapter and the metrics.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Metrics;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Api;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Inversion;

namespace My3DGen.Cli.Commands;

internal static class InvertCommand
{
    /// <summary>The `invert` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors (from `my3dgen convert`)", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "the person's adapter; the tuning adapter is stacked on it (without it: the base model)" };
        var photo = new Option<string>("--photo") { Description = "aligned photo at the model's resolution (PNG/JPEG)", Required = true };
        var camera = new Option<string>("--camera") { Description = "the photo's 25-float EG3D camera label (.npy [25] or [1,25])", Required = true };
        var tuneSteps = new Option<int>("--tune-steps") { Description = "pivotal tuning steps (PTI: 350)", DefaultValueFactory = _ => 350 };
        var tuneLr = new Option<float>("--tune-lr") { Description = "pivotal tuning Adam learning rate (PTI: 3e-4)", DefaultValueFactory = _ => 3e-4f };
        var rank = new Option<int>("--rank") { Description = "rank of the stacked tuning adapter", DefaultValueFactory = _ => 1 };
        var full = new Option<bool>("--full") { Description = "tune every backbone/super-resolution weight as PTI does (large adapter file)" };
        var alex = new Option<string?>("--alexnet") { Description = "torchvision AlexNet (converted): the tuning loss LPIPS-alex" };
        var lin = new Option<string[]>("--lpips-lin") { Description = "converted LPIPS lin alex.pth (tuning loss) and/or vgg.pth (repeat the option)" };
        var vgg = new Option<string?>("--vgg") { Description = "torchvision VGG16 (converted): DISTS" };
        var dists = new Option<string?>("--dists") { Description = "DISTS alpha/beta (converted)" };
        var arcface = new Option<string?>("--arcface") { Description = "ArcFace IR-SE50 (converted): ID error" };
        var random = new Option<bool>("--random-weights") { Description = "random LPIPS/DISTS/ArcFace/projector weights where none are given (testing only; labelled)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var set = new ProjectorOptionSet("", defaultSteps: 600, defaultNoise: "const");   // PTI: the pivot is rendered with const noise when tuned
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("invert", "reconstruct one photo in 3D with PTI (projection + pivotal tuning as a stacked adapter)",
                "my3dgen invert -m eg3d.safetensors --adapter me.lora.safetensors --photo new.png --camera new_cam.npy --vgg-backbone vgg16.safetensors --vgg-lin vgg.safetensors --alexnet alexnet.safetensors --lpips-lin alex.safetensors -o pti",
                "my3dgen invert -m tiny.safetensors --photo p.png --camera c.npy --random-weights --steps 20 --tune-steps 20 -o pti-quick"),
            [model, adapter, photo, camera, tuneSteps, tuneLr, rank, full, alex, lin, vgg, dists, arcface, random, output, .. set.All, device]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var projection = set.Read(p);
            var tuning = new PivotalTuningOptions { Steps = OptionChecks.InRange(p.GetValue(tuneSteps), "--tune-steps", 0, 100000), LearningRate = p.GetValue(tuneLr),
                Rank = p.GetValue(rank), Full = p.GetValue(full) };
            tuning.Validate();
            bool rnd = p.GetValue(random);
            var vggChoice = set.Weights(p, rnd);
            ProjectionRunner.CheckWeights(vggChoice, "--random-weights");
            string dir = p.GetValue(output)!;
            OutputPaths.PrepareFolder(dir);
            var backend = DeviceSelector.Create(p.GetValue(device));
            using var g = Eg3dGenerator.Load(OptionChecks.InputFile(p.GetValue(model)!, "--model"), backend);
            var target = new ProjectionTarget(Path.GetFileNameWithoutExtension(p.GetValue(photo)!),
                PersonDataset.ReadImage(OptionChecks.InputFile(p.GetValue(photo)!, "--photo"), g.Config.ImgResolution),
                RenderViews.ReadConditioningCamera(OptionChecks.InputFile(p.GetValue(camera)!, "--camera")));
            using var merged = AdapterLoader.Merge(g, p.GetValue(adapter) is string a ? OptionChecks.InputFile(a, "--adapter") : null);
            var weights = new MetricWeights
            {
                AlexNet = p.GetValue(alex), Vgg = p.GetValue(vgg), Dists = p.GetValue(dists), ArcFace = p.GetValue(arcface),
                LpipsLin = (p.GetValue(lin) ?? []).Select(f => OptionChecks.InputFile(f, "--lpips-lin")).ToList(), RandomSeed = rnd ? 0 : null,
            };
            using var nets = MetricNetworks.Open(weights, backend, new HashSet<string>(MetricNames.Pairwise));
            if (nets.LpipsAlex == null) throw new UsageException("--alexnet and --lpips-lin (alex) are needed for the tuning loss LPIPS-alex, or --random-weights");
            using var projVgg = vggChoice.Random ? Lpips.CreateRandom(LpipsNet.Vgg, 0, backend) : Lpips.Load(LpipsNet.Vgg, vggChoice.Backbone!, vggChoice.Lin!, backend);
            foreach (var (m, why) in nets.Unavailable) o.Line($"{m}: unavailable ({why})");
            if (nets.RandomWeights.Count > 0) o.Line($"warning: random weights for {string.Join(", ", nets.RandomWeights)}: numbers are not perceptual");
            o.Line($"inverting {target.Name} on {backend.Name}: stage 1 {projection.Describe()}; stage 2 {tuning.Describe()}");
            var r = TaskInputs.WithProgress(s, "inverting", pr => InversionService.Run(g, projVgg, nets.LpipsAlex, new InversionRequest
            {
                Photo = target, OutputDirectory = dir, Projection = projection, Tuning = tuning, Metrics = nets,
                Title = Path.GetFileName(p.GetValue(model)!) + (p.GetValue(adapter) is string ad ? " + " + Path.GetFileName(ad) : " (base)"),
            }, pr, s.Cancel));
            o.Line(FormattableString.Invariant($"LPIPS-alex to the photo: projection {r.LpipsProjection:0.0000} -> PTI {r.LpipsTuned:0.0000}; MSE {r.MseProjection:0.00000} -> {r.MseTuned:0.00000}"));
            if (r.Metrics != null) MetricsTable.Print(o, r.Metrics);
            o.Line($"tuning adapter: {r.AdapterPath} ({new FileInfo(r.AdapterPath).Length / 1024.0:0.0} KiB, {r.TrainedValues} values)");
            o.Result(new JsonObject { ["ok"] = true, ["lpipsProjection"] = r.LpipsProjection, ["lpipsTuned"] = r.LpipsTuned, ["adapter"] = Path.GetFullPath(r.AdapterPath),
                ["files"] = new JsonArray(r.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()) });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
