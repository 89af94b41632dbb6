// Trainer behaviour on the tiny config: loss goes down on a synthetic person, a run interrupted by a checkpoint and
// resumed in a fresh process state ends with exactly the adapter of an uninterrupted run, and adapter files
// round-trip (with a typed error for the wrong base model); a cancelled run checkpoints its progress, a checkpoint refuses
// another dataset or a lower step target, and an unwritable output folder is refused before the first step.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Training;
using My3DGen.Models;
using My3DGen.Models.Api;

namespace My3DGen.Personalization.Tests;

[Category("Slow")]
public class TrainerTests
{
    static string Tmp(string name) => Path.Combine(Path.GetTempPath(), $"my3dgen-test-{Guid.NewGuid():N}-{name}");

    /// <summary>Three renders of the generator itself (so targets are reachable), with their cameras and ws.</summary>
    static PersonDataset MakeData(Eg3dGenerator gen)
    {
        var be = gen.Backend;
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var samples = new List<PersonSample>();
        for (int i = 0; i < 3; i++)
        {
            var ws = gen.Mapping(Tensor.Randn(be, new Random(i), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f)), 0.7f).ToArray();
            var cam = CameraLabel.Create(0.3f * (i - 1), 0.1f);
            var img = gen.Synthesize(Tensor.FromArray(be, ws, 1, 14, 512), CameraLabel.ToTensor(be, cam), new SynthesisOptions()).Image.ToArray();
            for (int k = 0; k < img.Length; k++) img[k] = Math.Clamp(img[k] * 0.8f + 0.1f, -1f, 1f);  // the "person" differs from the base
            samples.Add(new PersonSample($"img{i}.png", img, gen.Config.ImgResolution, cam, ws));
        }
        return new PersonDataset(samples, 14);
    }

    static PersonalizeOptions Options(int steps) => new() { Steps = steps, Seed = 7, Lora = new LoraOptions(1, 1f, 7), LearningRate = 0.003f, CheckpointEvery = 2 };

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Trains a fresh tiny generator to <paramref name="steps"/>; with <paramref name="cancelAfterStep"/> &gt; 0 the run is
    /// cancelled (through RunAsync's token) once that step has completed, and must end with OperationCanceledException.</summary>
    static Dictionary<string, float[]> Train(int steps, string? resumeFrom, string? checkpoint, out List<float> losses, int cancelAfterStep = 0)
    {
        var gen = TinyGenerators.Create(21);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
        using var p = new Personalizer(gen, lpips, MakeData(gen), Options(steps));
        if (resumeFrom != null) Checkpoint.Load(p, resumeFrom);
        if (cancelAfterStep > 0)
        {
            using var cts = new CancellationTokenSource();
            var progress = new InlineProgress(r => { if (r.Step == cancelAfterStep) cts.Cancel(); });
            Assert.CatchAsync<OperationCanceledException>(() => p.RunAsync(progress, checkpoint, cancel: cts.Token));
            Assert.That(p.Step, Is.EqualTo(cancelAfterStep), "the run stops at the next step boundary");
        }
        else p.Run(checkpointPath: checkpoint);
        losses = p.LossHistory.ToList();
        return p.Trainables.Named.ToDictionary(n => n.Name, n => n.Value.ToArray());
    }

    [Test]
    public void ResumedRunEqualsUninterruptedRun()
    {
        var ckpt = Tmp("ckpt.safetensors");
        var full = Train(4, null, null, out var fullLosses);
        Train(2, null, ckpt, out _);                      // "killed" after the step-2 checkpoint
        var resumed = Train(4, ckpt, null, out var resumedLosses);
        Assert.That(resumedLosses, Is.EqualTo(fullLosses), "loss history");
        foreach (var (name, v) in full)
            Assert.That(resumed[name], Is.EqualTo(v), $"tensor {name} differs after resume");
        File.Delete(ckpt);
        TestContext.Out.WriteLine($"losses {string.Join(", ", fullLosses.Select(l => l.ToString("F4")))}; {full.Count} tensors identical");

        // Cancelled after step 3 (periodic checkpoints every 2): the cancellation itself checkpoints step 3, and resuming
        // from it ends exactly where the uninterrupted run does.
        Train(4, null, ckpt, out _, cancelAfterStep: 3);
        using (var meta = SafeTensorsFile.Open(ckpt)) Assert.That(meta.Metadata["step"], Is.EqualTo("3"));
        var afterCancel = Train(4, ckpt, null, out var afterCancelLosses);
        Assert.That(afterCancelLosses, Is.EqualTo(fullLosses), "loss history after cancel + resume");
        foreach (var (name, v) in full)
            Assert.That(afterCancel[name], Is.EqualTo(v), $"tensor {name} differs after cancel + resume");

        // The same checkpoint refuses another dataset and a step target below its own step, in one line naming it.
        var gen = TinyGenerators.Create(21);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
        var data = MakeData(gen);
        var renamed = new PersonDataset(data.Samples.Select((s, i) => i == 0 ? s with { Name = "someone_else.png" } : s).ToList(), 14);
        using (var p = new Personalizer(gen, lpips, renamed, Options(4)))
        {
            var ex = Assert.Throws<ResumeMismatchException>(() => Checkpoint.Load(p, ckpt))!;
            Assert.That(ex.Message, Does.StartWith(ckpt + ": ").And.Contain("another dataset").And.Not.Contain("\n"));
            Assert.That(p.Step, Is.EqualTo(0));
        }
        using (var p = new Personalizer(gen, lpips, data, Options(2)))
        {
            var ex = Assert.Throws<ResumeMismatchException>(() => Checkpoint.Load(p, ckpt))!;
            Assert.That(ex.Message, Does.StartWith(ckpt + ": ").And.Contain("step 3").And.Contain("--steps 2"));
        }
        File.Delete(ckpt);
    }

    [Test]
    public void UnwritableAdapterFolderIsRefusedBeforeTraining()
    {
        var gen = TinyGenerators.Create(21);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
        var blocker = Tmp("blocker");
        File.WriteAllText(blocker, "a file, not a folder");
        var adapter = Path.Combine(blocker, "a.lora.safetensors");
        using (var p = new Personalizer(gen, lpips, MakeData(gen), Options(4)))
        {
            var ex = Assert.Throws<OutputFileException>(() => p.Run(adapterPath: adapter))!;
            Assert.That(ex.Message, Does.StartWith(adapter + ": cannot write"));
            Assert.That(p.Step, Is.EqualTo(0), "no step ran");
        }
        File.Delete(blocker);
    }

    [Test]
    public void LossDecreasesAndAdapterRoundTrips()
    {
        var gen = TinyGenerators.Create(21);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
        var adapter = Tmp("a.lora.safetensors");
        float[] trainedImage;
        var data = MakeData(gen);
        var cam = CameraLabel.ToTensor(gen.Backend, data.Samples[0].Camera);
        var ws = Tensor.FromArray(gen.Backend, data.Samples[0].Latent, 1, 14, 512);
        using (var p = new Personalizer(gen, lpips, data, Options(12) with { CheckpointEvery = 0 }))
        {
            float before = p.EvaluateLoss();
            p.Run();
            float after = p.EvaluateLoss();
            TestContext.Out.WriteLine($"dataset loss before {before:F4}, after 12 steps {after:F4}");
            Assert.That(after, Is.LessThan(0.9f * before));
            p.SaveAdapter(adapter);
            using var ng = GradMode.NoGrad();
            trainedImage = gen.Synthesize(ws, cam, new SynthesisOptions()).Image.ToArray();
        }
        Assert.That(new FileInfo(adapter).Length, Is.LessThan(1 << 20));
        using (var meta = SafeTensorsFile.Open(adapter))
            Assert.That(meta.Metadata["rank"], Is.EqualTo("1"));
        using (var applied = AdapterFile.Apply(gen, adapter))
        using (var ng = GradMode.NoGrad())
        {
            var again = gen.Synthesize(ws, cam, new SynthesisOptions()).Image.ToArray();
            Assert.That(again.Zip(trainedImage, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-5), "applied adapter reproduces the trained model");
        }
        var other = TinyGenerators.Create(22);
        var ex = Assert.Throws<FileFormatException>(() => AdapterFile.Apply(other, adapter))!;
        Assert.That(ex.Message, Does.Contain("base model"));
        File.Delete(adapter);
    }
}
