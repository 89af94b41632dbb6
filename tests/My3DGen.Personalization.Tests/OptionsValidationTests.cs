// Options are validated before any work: each bad value is an InvalidOptionException (a UserInputException) naming the
// option, and a trainer given bad options leaves the generator untouched.
using My3DGen.Engine;
using My3DGen.Models.Lora;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Tests;

public class OptionsValidationTests
{
    static IEnumerable<TestCaseData> BadOptions()
    {
        var ok = new PersonalizeOptions();
        yield return new TestCaseData(ok with { Steps = 0 }, "--steps").SetName("steps 0");
        yield return new TestCaseData(ok with { Steps = -3 }, "--steps").SetName("steps negative");
        yield return new TestCaseData(ok with { BatchSize = 0 }, "--batch").SetName("batch 0");
        yield return new TestCaseData(ok with { LearningRate = 0f }, "--lr").SetName("lr 0");
        yield return new TestCaseData(ok with { LearningRate = float.NaN }, "--lr").SetName("lr NaN");
        yield return new TestCaseData(ok with { LearningRate = float.PositiveInfinity }, "--lr").SetName("lr inf");
        yield return new TestCaseData(ok with { Lora = new LoraOptions(0) }, "--rank").SetName("rank 0");
        yield return new TestCaseData(ok with { Lora = new LoraOptions(1, -1f) }, "--alpha").SetName("alpha negative");
        yield return new TestCaseData(ok with { Beta2 = 1f }, "beta2").SetName("beta2 1");
        yield return new TestCaseData(ok with { CheckpointEvery = -1 }, "--checkpoint-every").SetName("checkpoint-every negative");
        yield return new TestCaseData(ok with { PreviewEvery = -1 }, "--preview-every").SetName("preview-every negative");
        yield return new TestCaseData(ok with { NeuralRenderingResolution = 0 }, "neural rendering resolution").SetName("nrr 0");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void BadOptionIsRefusedNamingTheOption(PersonalizeOptions options, string option)
    {
        var ex = Assert.Throws<InvalidOptionException>(options.Validate)!;
        Assert.That(ex, Is.InstanceOf<UserInputException>());
        Assert.That(ex.Option, Is.EqualTo(option));
        Assert.That(ex.Message, Does.StartWith(option + ": ").And.Not.Contain("\n"));
    }

    [Test]
    public void DefaultsAndFullFineTuneIgnoringRankAreValid()
    {
        Assert.DoesNotThrow(new PersonalizeOptions().Validate);
        Assert.DoesNotThrow((new PersonalizeOptions { FullFineTune = true, Lora = new LoraOptions(0) }).Validate);
    }

    [Test]
    public void TrainerRefusesBadOptionsBeforeTouchingTheGenerator()
    {
        using var gen = TinyGenerators.Create(1);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
        int r = gen.Config.ImgResolution;
        var sample = PersonSample.Create("a.png", new float[3 * r * r], r, Cameras(), new float[512]);
        var data = new PersonDataset([sample], gen.Config.NumWs);
        Assert.Throws<InvalidOptionException>(() => new Personalizer(gen, lpips, data, new PersonalizeOptions { Steps = 0 }));
        Assert.That(gen.AttachedLora, Is.Null);
    }

    [Test]
    public void PersonSampleCreateChecksLayoutAndRanges()
    {
        Assert.That(PersonSample.Create("a", new float[3 * 4 * 4], 4, Cameras(), new float[512]).Latent, Has.Length.EqualTo(14 * 512));
        Assert.Throws<ArgumentException>(() => PersonSample.Create("a", new float[4 * 4], 4, Cameras(), new float[512]));
        Assert.Throws<ArgumentException>(() => PersonSample.Create("a", Enumerable.Repeat(2f, 48).ToArray(), 4, Cameras(), new float[512]));
        Assert.Throws<ArgumentException>(() => PersonSample.Create("a", new float[48], 4, new float[24], new float[512]));
        Assert.Throws<ArgumentException>(() => PersonSample.Create("a", new float[48], 4, Cameras(), new float[7 * 512]));
    }

    static float[] Cameras() => Models.Cameras.CameraLabel.Create(0f, 0f);
}
