// The loss-curve picture: moving average arithmetic, both series drawn with a legend, gaps for NaN, and the
// empty history of a run that has not stepped yet.
using My3DGen.Models.Imaging;
using My3DGen.Personalization.Reporting;

namespace My3DGen.Personalization.Tests.Reporting;

public class LossCurvePlotTests
{
    static readonly Rgb Raw = LossCurvePlot.RawColor, Average = LossCurvePlot.AverageColor;

    static int Count(RgbImage img, Rgb c) => Enumerable.Range(0, img.Height).Sum(y => Enumerable.Range(0, img.Width).Count(x => img[x, y] == c));

    [Test]
    public void MovingAverageIsTheMeanOfTheLastWindowOfFiniteValues()
    {
        var avg = LossCurvePlot.MovingAverage([1f, 3f, float.NaN, 5f, 7f], 2);
        Assert.That(avg, Is.EqualTo(new[] { 1.0, 2.0, 3.0, 5.0, 6.0 }));
        Assert.That(LossCurvePlot.MovingAverage([float.NaN], 3)[0], Is.NaN);
    }

    [Test]
    public void DrawsTheLossAndItsMovingAverage()
    {
        var losses = Enumerable.Range(0, 80).Select(i => (float)(0.4 * Math.Exp(-i / 30.0) + 0.05 * Math.Sin(i))).ToList();
        var img = LossCurvePlot.Render(losses);
        Assert.That((img.Width, img.Height), Is.EqualTo((800, 480)));
        Assert.That(Count(img, Raw), Is.GreaterThan(300), "raw loss line");
        Assert.That(Count(img, Average), Is.GreaterThan(600), "moving average line and its legend swatch");
    }

    [Test]
    public void NaNLossesAndEmptyHistoriesStillGiveAPicture()
    {
        var withNaN = LossCurvePlot.Render([0.5f, float.NaN, 0.3f, 0.2f]);
        Assert.That(Count(withNaN, Average), Is.GreaterThan(0), "a short run's loss is drawn as the main line");
        Assert.That(Count(withNaN, Raw), Is.Zero, "no pale per-step line without an average");
        var empty = LossCurvePlot.Render([]);
        Assert.That(Count(empty, Rgb.Ink), Is.GreaterThan(1000), "axes, ticks and labels");
    }
}
