// The built-in demo (no downloads): a small EG3D-architecture generator from a fixed seed, a synthetic
// "person" made by perturbing it with a hidden random adapter, training renders of that person from
// varied poses with known anchors, personalization of the base with a fresh rank-1 LoRA, and a
// before/after comparison on held-out poses (numbers + a contact sheet PNG + the loss curve). It also writes
// what the other verbs take: the base generator, the person folder (photos, dataset.json, anchors) and test photos.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Reporting;
using My3DGen.Personalization.Training;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Eg3d;
using My3DGen.Personalization.Projection;

namespace My3DGen.Personalization.Demo;

/// <summary>The built-in demo: everything from a fixed seed, no downloads.</summary>
public static class DemoRunner
{
    static readonly (float Yaw, float Pitch)[] HeldOut = [(-0.7f, 0.15f), (-0.25f, -0.15f), (0.25f, 0.15f), (0.7f, -0.15f)];

    /// <summary>Runs the demo into <see cref="DemoOptions.OutputDirectory"/>: <paramref name="stage"/> receives one line per stage,
    /// <paramref name="training"/> every training step. Deterministic for a given <see cref="DemoOptions.Seed"/> and backend.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired (checked between stages and training steps).</exception>
    public static DemoReport Run(DemoOptions o, IBackend backend, IProgress<string>? stage = null, IProgress<TrainingProgress>? training = null,
        CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(o.OutputDirectory);
        stage?.Report($"building a tiny EG3D-architecture generator (seed {o.Seed})");
        var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Tiny, o.Seed, backend);
        MakeDensitySolid(gen);
        var generatorPath = Path.Combine(o.OutputDirectory, "generator.safetensors");
        var metadata = new Dictionary<string, string>(gen.Config.ToMetadata()) { ["source"] = $"my3dgen demo: random tiny EG3D, seed {o.Seed}" };
        GeneratorFile.Save(gen, generatorPath, metadata);
        var rng = new Random(o.Seed);
        var (anchors, z0) = MakeAnchors(gen, rng, o.Anchors);

        stage?.Report($"rendering the synthetic person: {o.TrainImages} training views and {HeldOut.Length} held-out views");
        List<PersonSample> train;
        Tensor[] targets;
        using (var person = new LoraNetwork(gen, new LoraOptions(2, 2f, o.Seed + 1), trainDecoder: false))
        {
            var prng = new Random(o.Seed + 2);
            foreach (var f in person.Factors)
                f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(Gaussian(prng) * o.PersonStrength)).ToArray());
            train = Enumerable.Range(0, o.TrainImages).Select(i =>
            {
                var (yaw, pitch) = ((float)(rng.NextDouble() * 1.2 - 0.6), (float)(rng.NextDouble() * 0.6 - 0.3));
                var cam = CameraLabel.Create(yaw, pitch);
                var ws = anchors[i % anchors.Length];
                using var img = RenderService.RenderImages(gen, [(ws, cam)])[0];
                return new PersonSample($"view_{i:D2}", img.ToArray(), gen.Config.ImgResolution, cam, ws);
            }).ToList();
            targets = RenderHeldOut(gen, anchors);
            stage?.Report($"writing the person folder ({o.TrainImages} photos with anchors) and {o.TestImages} new test photos");
            WritePhotoFolders(gen, o, train, z0);
        }

        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, o.Seed, backend);
        stage?.Report("measuring the base generator on the held-out views");
        cancel.ThrowIfCancellationRequested();
        var beforeImages = RenderHeldOut(gen, anchors);
        var before = Measure(beforeImages, targets, lpips);

        var data = new PersonDataset(train, gen.Config.NumWs);
        var options = new PersonalizeOptions { Steps = o.Steps, LearningRate = o.LearningRate, Seed = o.Seed, Lora = new LoraOptions(1, 1f, o.Seed), TrainDecoder = true, CheckpointEvery = 0 };
        stage?.Report($"personalizing: rank-1 LoRA + decoder, {o.Steps} steps, MSE + LPIPS (random-weight AlexNet: no downloads)");
        using var trainer = new Personalizer(gen, lpips, data, options);
        var adapterPath = Path.Combine(o.OutputDirectory, "person.lora.safetensors");
        trainer.Run(training, cancel: cancel, adapterPath: adapterPath);

        stage?.Report("measuring the personalized generator on the held-out views");
        cancel.ThrowIfCancellationRequested();
        var afterImages = RenderHeldOut(gen, anchors);
        var after = Measure(afterImages, targets, lpips);

        var sheetPath = Path.Combine(o.OutputDirectory, "before_after.png");
        var tiles = targets.Concat(beforeImages).Concat(afterImages).Select(t => ImageExport.FromRgb(t)).ToList();
        LabelledGrid.Save(sheetPath, tiles, "Held-out poses: the person, the base model and the personalized model",
            ["person\n(target)", $"base\nMSE {before.Mse:0.0000}\nLPIPS {before.Lpips:0.0000}", $"personalized\nMSE {after.Mse:0.0000}\nLPIPS {after.Lpips:0.0000}"], HeldOut.Select(v => $"yaw {v.Yaw:+0.00;-0.00}\npitch {v.Pitch:+0.00;-0.00}").ToList(), cellSize: 192);
        var curvePath = Path.Combine(o.OutputDirectory, "loss_curve.png");
        LossCurvePlot.Render(trainer.LossHistory).SavePng(curvePath);
        foreach (var t in targets.Concat(beforeImages).Concat(afterImages)) t.Dispose();
        return new DemoReport(o.OutputDirectory, sheetPath, curvePath, adapterPath, before, after, trainer.Trainables.Count,
            new FileInfo(adapterPath).Length, sw.Elapsed, generatorPath, Path.Combine(o.OutputDirectory, PersonFolderName), Path.Combine(o.OutputDirectory, TestFolderName));
    }

    /// <summary>The training photos' folder inside the output folder.</summary>
    public const string PersonFolderName = "person";
    /// <summary>The test photos' folder inside the output folder.</summary>
    public const string TestFolderName = "test";

    /// <summary>Writes person/ (the training renders, dataset.json, true anchors) and test/ (renders of the person, whom
    /// <paramref name="gen"/> shows now, at new latents near z0 and random poses in the paper's range; dataset.json only).</summary>
    static void WritePhotoFolders(Eg3dGenerator gen, DemoOptions o, List<PersonSample> train, double[] z0)
    {
        var cfg = gen.Config;
        PhotoFolder.Write(Path.Combine(o.OutputDirectory, PersonFolderName), train.Select(t => new ProjectionTarget(t.Name + ".png", t.Image, t.Camera)).ToList(),
            cfg.ImgResolution, train.Select(t => t.Latent).ToList(), cfg.NumWs, cfg.WDim);
        var trng = new Random(o.Seed + 3);
        var test = MapNear(gen, z0, trng, o.TestImages).Select((ws, i) =>
        {
            var cam = CameraLabel.Create((float)(trng.NextDouble() * 0.7 - 0.35), (float)(trng.NextDouble() * 0.5 - 0.25));
            using var img = RenderService.RenderImages(gen, [(ws, cam)])[0];
            return new ProjectionTarget($"test_{i:D2}.png", img.ToArray(), cam);
        }).ToList();
        PhotoFolder.Write(Path.Combine(o.OutputDirectory, TestFolderName), test, cfg.ImgResolution);
    }

    /// <summary>A fresh random decoder gives near-transparent fog; sharpening the density channel (×3 weights,
    /// +4 bias, as the EG3D fixtures do) gives partially opaque surfaces and so more visible 3-D structure.</summary>
    static void MakeDensitySolid(Eg3dGenerator gen)
    {
        var w = gen.Decoder.Output.Weight.ToArray();
        int cols = gen.Decoder.Output.InFeatures;
        for (int i = 0; i < cols; i++) w[i] *= 3f;
        gen.Decoder.Output.Weight.AssignFrom(w);
        var b = gen.Decoder.Output.Bias.ToArray();
        b[0] += 4f / gen.Decoder.Output.BiasGain;
        gen.Decoder.Output.Bias.AssignFrom(b);
    }

    /// <summary>The person's centre z0 and <paramref name="count"/> anchors mapped from z near it.</summary>
    static (float[][] Anchors, double[] Z0) MakeAnchors(Eg3dGenerator gen, Random rng, int count)
    {
        var z0 = Enumerable.Range(0, gen.Config.ZDim).Select(_ => Gaussian(rng)).ToArray();
        return (MapNear(gen, z0, rng, count), z0);
    }

    /// <summary>ws of <paramref name="count"/> z = z0 + 0.5·N(0, 1), mapped from the frontal camera with ψ = 0.7.</summary>
    static float[][] MapNear(Eg3dGenerator gen, double[] z0, Random rng, int count)
    {
        var be = gen.Backend;
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var cond = CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f));
        return Enumerable.Range(0, count).Select(_ =>
        {
            var z = z0.Select(v => (float)(v + 0.5 * Gaussian(rng))).ToArray();
            return gen.Mapping(Tensor.FromArray(be, z, 1, z.Length), cond, psi: 0.7f).ToArray();
        }).ToArray();
    }

    static Tensor[] RenderHeldOut(Eg3dGenerator gen, float[][] anchors) =>
        RenderService.RenderImages(gen, HeldOut.Select((v, i) => (anchors[i % anchors.Length], CameraLabel.Create(v.Yaw, v.Pitch))).ToList());

    static DemoMetrics Measure(Tensor[] images, Tensor[] targets, Lpips lpips)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        double mse = 0, lp = 0;
        for (int i = 0; i < images.Length; i++)
        {
            mse += (images[i] - targets[i]).Square().Mean().Item();
            lp += lpips.Distance(images[i], targets[i]).Item();
        }
        return new DemoMetrics(mse / images.Length, lp / images.Length);
    }

    static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
