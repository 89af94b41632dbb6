// PSNR and SSIM against numpy / scikit-image (structural_similarity, Gaussian window σ 1.5, population covariance,
// data_range 1) on 5 image pairs of mixed sizes, from tools/metrics/make_reference.py.
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;

namespace My3DGen.Models.Tests.Metrics;

public class ImageQualityTests
{
    [Test]
    public void PsnrAndSsimMatchScikitImage()
    {
        var psnr = Enumerable.Range(0, 5).Select(i => ImageQuality.Psnr(MetricsFixture.Image($"q_a{i}"), MetricsFixture.Image($"q_b{i}"))).ToArray();
        var ssim = Enumerable.Range(0, 5).Select(i => ImageQuality.Ssim(MetricsFixture.Image($"q_a{i}"), MetricsFixture.Image($"q_b{i}"))).ToArray();
        double ep = MetricsFixture.MaxAbsDiff(psnr, MetricsFixture.Doubles("quality.psnr64"));
        double es = MetricsFixture.MaxAbsDiff(ssim, MetricsFixture.Doubles("quality.ssim64"));
        TestContext.Out.WriteLine($"PSNR {string.Join(", ", psnr.Select(v => v.ToString("F4")))}: max |Δ| {ep:E2}; SSIM {string.Join(", ", ssim.Select(v => v.ToString("F5")))}: max |Δ| {es:E2}");
        Assert.That(ep, Is.LessThan(1e-4));
        Assert.That(es, Is.LessThan(1e-4));
    }

    [Test]
    public void IdenticalImagesAndSizeChecks()
    {
        var a = MetricsFixture.Image("q_a0");
        Assert.That(ImageQuality.Psnr(a, a), Is.EqualTo(double.PositiveInfinity));
        Assert.That(ImageQuality.Ssim(a, a), Is.EqualTo(1.0).Within(1e-12));
        Assert.Throws<ArgumentException>(() => ImageQuality.Ssim(a, new RgbImage(10, 10)));
        Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(a, MetricsFixture.Image("q_a1")));
    }
}
