// The training preview written by `personalize`: a captioned grid (photos over renders) and a loss curve, both
// decodable PNGs written without leftovers, before and after training steps.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;
using My3DGen.Models.Lora;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Reporting;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Tests.Reporting;

[Category("Slow")]
public class TrainingPreviewTests
{
    static PersonDataset TwoViews(Eg3dGenerator gen)
    {
        var be = gen.Backend;
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var ws = gen.Mapping(Tensor.Randn(be, new Random(3), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f)), 0.7f).ToArray();
        return new PersonDataset(new[] { -0.3f, 0.3f }.Select((yaw, i) =>
        {
            var cam = CameraLabel.Create(yaw, 0f);
            var img = gen.Synthesize(Tensor.FromArray(be, ws, 1, 14, 512), CameraLabel.ToTensor(be, cam), new SynthesisOptions()).Image.ToArray();
            return new PersonSample($"view{i}.png", img, gen.Config.ImgResolution, cam, ws);
        }).ToList(), 14);
    }

    [Test]
    public void WritesACaptionedGridAndALossCurve()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"my3dgen-preview-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var gen = TinyGenerators.Create(5);
            using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, gen.Backend);
            using var p = new Personalizer(gen, lpips, TwoViews(gen), new PersonalizeOptions { Steps = 2, Seed = 1, Lora = new LoraOptions(Rank: 1), CheckpointEvery = 0 });
            string grid = Path.Combine(dir, "a.preview.png"), curve = Path.Combine(dir, "a.loss.png");
            TrainingPreview.Write(p, grid, curve);   // before any step: empty loss history
            p.Run();
            TrainingPreview.Write(p, grid, curve);
            var sheet = RgbImage.Decode(File.ReadAllBytes(grid));
            Assert.That(sheet.Width, Is.GreaterThan(2 * 256), "two 256-px columns plus row captions");
            Assert.That(sheet.Height, Is.GreaterThan(2 * 256), "two 256-px rows plus title and column captions");
            Assert.That(sheet[0, 0], Is.EqualTo(Rgb.White));
            Assert.That((RgbImage.Decode(File.ReadAllBytes(curve)) is { Width: 800, Height: 480 }));
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "a.loss.png", "a.preview.png" }));
        }
        finally { Directory.Delete(dir, true); }
    }
}
