// Backbone vs the fixtures: every block's x and skip image (subsampled ones via .sub/.sum/.l2) and the plane statistics.
namespace My3DGen.Models.Tests.Eg3d;

public class SynthesisTests
{
    [TestCase("b4"), TestCase("b8"), TestCase("b16"), TestCase("b32"), TestCase("b64"), TestCase("b128"), TestCase("b256")]
    public void BlockOutputsMatchFixture(string block)
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var (x, img) = TinyModel.Case0.Blocks[block];
        r.Check($"synthesis.{block}.x", $"synthesis.{block}.x", x, r.IntermediateTol($"synthesis.{block}.x"));
        r.Check($"synthesis.{block}.img", $"synthesis.{block}.img", img, r.IntermediateTol($"synthesis.{block}.img"));
    }

    [Test]
    public void PlaneStatisticsMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var planes = TinyModel.Case0.Planes;
        r.Check("planes", "planes", planes.ToArray(), [1, 96, 256, 256], r.IntermediateTol("planes"));
        var v = planes.ToArray();
        double mean = v.Average(x => (double)x);
        double std = Math.Sqrt(v.Average(x => ((double)x - mean) * ((double)x - mean)));
        double min = v.Min(), max = v.Max();
        TestContext.Out.WriteLine($"planes stats: Δmean {Math.Abs(mean - r.File.ReadFloat64("planes.mean")[0]):E2}, Δstd {Math.Abs(std - r.File.ReadFloat64("planes.std")[0]):E2}, Δmin {Math.Abs(min - r.File.ReadFloat64("planes.min")[0]):E2}, Δmax {Math.Abs(max - r.File.ReadFloat64("planes.max")[0]):E2}");
        Assert.That(mean, Is.EqualTo(r.File.ReadFloat64("planes.mean")[0]).Within(1e-5));
        Assert.That(std, Is.EqualTo(r.File.ReadFloat64("planes.std")[0]).Within(1e-4 * Math.Abs(std) + 1e-6));
        Assert.That(min, Is.EqualTo(r.File.ReadFloat64("planes.min")[0]).Within(1e-3));
        Assert.That(max, Is.EqualTo(r.File.ReadFloat64("planes.max")[0]).Within(1e-3));
    }
}
