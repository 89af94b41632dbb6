// Acceptance of inpainting and super-resolution on the tiny EG3D fixture with a synthetic person (as the demo): the
// person = the base generator + a hidden random LoRA; anchors = latents mapped near one z (a person's photos are alike); the photo = the person's render of a
// latent in the anchors' hull from a side view. The personalized model (with the person's LoRA) must restore the photo
// better than the base model (without it) from the same anchors; inpainting leaves the photo bit for bit outside the
// blend region; the area-downsampled super-resolution output matches the low-resolution input within the stated MSE.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Lora;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Tests.Eg3d;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Editing;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Tests;

[Category("Slow")]
public sealed class RestorationTests
{
    /// <summary>The stated bound after the quick projection (8 steps of 1000): MSE on the [−1,1] scale between the area-downsampled
    /// restoration and the low-res input (PSNR ≥ 21 dB; the tiny model's renders span about [−1.6, 1.9]).</summary>
    const float DownsampledMseBound = 0.03f;
    static readonly AlphaPlusOptions Quick = new() { Steps = 6 };

    /// <summary>A fresh tiny generator carrying the person's LoRA (dispose it to get the base model), the anchors, the photo and its camera.</summary>
    static (Eg3dGenerator G, LoraNetwork Person, AnchorSet Anchors, float[] Photo, float[] Camera) Person()
    {
        var g = Eg3dGenerator.Load(FixtureData.TinyModel, CpuBackend.Instance);
        var person = new LoraNetwork(g, new LoraOptions(2, 2f, 5), trainDecoder: false);
        var rng = new Random(3);
        foreach (var f in person.Factors) f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(0.2 * TestPerson.Gaussian(rng))).ToArray());
        person.Merge();
        var anchors = TestPerson.CloseAnchors(4, seed: 7);
        var cam = RenderViews.FromYawPitch(g, [0.25f], [-0.05f])[0].Label;
        var latent = new AlphaLatent(anchors, AlphaPlusTests.Weights([0.45, 0.05, 0.2, 0.3])).ToWs();
        using var t = PivotalTuner.RenderPivot(g, latent, cam);
        return (g, person, anchors, t.ToArray(), cam);
    }

    [Test]
    public void InpaintingWithThePersonBeatsTheBaseAndKeepsTheOutside()
    {
        var (g, person, anchors, photo, cam) = Person();
        using var _ = g;
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 2, CpuBackend.Instance);
        var dir = TestPerson.TempDir();
        InpaintingResult Run(string name) => InpaintingService.Run(g, alex, new InpaintingRequest
        {
            Photo = new ProjectionTarget("photo", photo, cam), Anchors = anchors, OutputDirectory = Path.Combine(dir, name), Projection = Quick, Title = name,
        });
        var personal = Run("personalized");
        person.Dispose();
        var baseline = Run("base");
        TestContext.Out.WriteLine($"LPIPS-alex in the hole box: personalized {personal.LpipsInHole:G4}, base {baseline.LpipsInHole:G4}; " +
            $"projection LPIPS (known pixels) {personal.Projection.Final.Lpips:G4} vs {baseline.Projection.Final.Lpips:G4}; {dir}");
        Assert.That(personal.LpipsInHole, Is.LessThan(baseline.LpipsInHole));

        int plane = photo.Length / 3, outside = 0;
        Assert.That(personal.BlendRegion.HoleCount, Is.GreaterThan(personal.Hole.HoleCount), "the default dilation grows the hole");
        for (int i = 0; i < photo.Length; i++)
            if (!personal.BlendRegion.Hole[i % plane])
            {
                outside++;
                Assert.That(BitConverter.SingleToInt32Bits(personal.Inpainted[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(photo[i])), $"value {i}");
            }
        Assert.That(outside, Is.GreaterThan(photo.Length / 2));
        var noDilation = ImageBlending.Poisson(photo, personal.Projection.Reconstruction, personal.Hole);
        for (int i = 0; i < photo.Length; i++)
            if (!personal.Hole.Hole[i % plane]) Assert.That(noDilation[i], Is.EqualTo(photo[i]), "without dilation: the photo outside the hole itself");
        foreach (var f in personal.Files) Assert.That(File.Exists(f), f);
    }

    [Test]
    public void SuperResolutionWithThePersonBeatsTheBaseAndMatchesTheLowResInput()
    {
        var (g, person, anchors, photo, cam) = Person();
        using var _ = g;
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 2, CpuBackend.Instance);
        int res = g.Config.ImgResolution, side = res / 4;
        var low = SuperResolutionService.Downsample(photo, res, side);
        var dir = TestPerson.TempDir();
        (SuperResolutionResult R, float Lpips, double Mse) Run(string name)
        {
            var r = SuperResolutionService.Run(g, alex, new SuperResolutionRequest
            {
                Name = "photo", LowRes = low, Side = side, Camera = cam, Anchors = anchors, OutputDirectory = Path.Combine(dir, name), Projection = Quick with { Steps = 8 }, Title = name,
            });
            using var scope = TensorScope.Begin();
            float lp = alex.Distance(Tensor.FromArray(CpuBackend.Instance, r.Restoration, 1, 3, res, res), Tensor.FromArray(CpuBackend.Instance, photo, 1, 3, res, res)).Item();
            return (r, lp, r.Restoration.Zip(photo, (a, b) => (double)(a - b) * (a - b)).Average());
        }
        var personal = Run("personalized");
        person.Dispose();
        var baseline = Run("base");
        TestContext.Out.WriteLine($"{side}² -> {res}²: LPIPS-alex to the full-res photo personalized {personal.Lpips:G4} vs base {baseline.Lpips:G4}; " +
            $"MSE {personal.Mse:G4} vs {baseline.Mse:G4}; downsampled-output MSE to the input {personal.R.DownsampledMse:G4} (base {baseline.R.DownsampledMse:G4}); {dir}");
        Assert.That(personal.Lpips, Is.LessThan(baseline.Lpips));
        Assert.That(personal.Mse, Is.LessThan(baseline.Mse));
        Assert.That(personal.R.DownsampledMse, Is.LessThanOrEqualTo(DownsampledMseBound));
        Assert.That(personal.R.DownsampledMse, Is.EqualTo(personal.R.Projection.Final.Mse).Within(1e-6), "the loss's MSE is the downsampled-output MSE");
        foreach (var f in personal.R.Files) Assert.That(File.Exists(f), f);
    }
}
