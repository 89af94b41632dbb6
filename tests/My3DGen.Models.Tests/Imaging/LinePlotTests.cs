// Line plots read back from their pixels: the frame, tick marks at the 1-2-5 / logarithmic positions the axes call
// for, a legend only when there are several series, labels outside the frame, and the data drawn inside it.
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Tests.Imaging;

public class LinePlotTests
{
    static readonly LinePlotOptions Options = new() { Title = "Test plot", XLabel = "step", YLabel = "loss (unitless)" };

    static List<double> Range(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => (double)i).ToList();

    /// <summary>The frame is the longest unbroken horizontal and vertical runs of ink: (left, top, right, bottom) of its outline.</summary>
    static (int Left, int Top, int Right, int Bottom) Frame(RgbImage img)
    {
        static int LongestRun(int n, Func<int, bool> ink)
        {
            int best = 0, run = 0;
            for (int i = 0; i < n; i++) { run = ink(i) ? run + 1 : 0; best = Math.Max(best, run); }
            return best;
        }
        var rowRun = Enumerable.Range(0, img.Height).Select(y => LongestRun(img.Width, x => img[x, y] == Rgb.Ink)).ToList();
        var colRun = Enumerable.Range(0, img.Width).Select(x => LongestRun(img.Height, y => img[x, y] == Rgb.Ink)).ToList();
        var rows = Enumerable.Range(0, img.Height).Where(y => rowRun[y] == rowRun.Max()).ToList();
        var cols = Enumerable.Range(0, img.Width).Where(x => colRun[x] == colRun.Max()).ToList();
        return (cols.Min(), rows.Min(), cols.Max(), rows.Max());
    }

    static List<int> XTicks(RgbImage img, (int Left, int Top, int Right, int Bottom) f) =>
        Enumerable.Range(f.Left, f.Right - f.Left + 1).Where(x => img[x, f.Bottom + 1] == Rgb.Ink).ToList();

    static List<int> YTicks(RgbImage img, (int Left, int Top, int Right, int Bottom) f) =>
        Enumerable.Range(f.Top, f.Bottom - f.Top + 1).Where(y => img[f.Left - 1, y] == Rgb.Ink).ToList();

    [Test]
    public void LinearAxesHaveEvenlySpacedTicksAtTheFrameEnds()
    {
        var img = LinePlot.Render([new PlotSeries("loss", Range(1, 100), Range(1, 100).Select(s => 0.1 + 0.4 * (s - 1) / 99).ToList())], Options);
        var f = Frame(img);
        Assert.That(f.Right - f.Left, Is.GreaterThan(img.Width / 2));
        var x = XTicks(img, f);   // 0, 20, …, 100
        Assert.That(x, Has.Count.EqualTo(6));
        Assert.That(x[0], Is.EqualTo(f.Left + 1));
        Assert.That(x[^1], Is.EqualTo(f.Right - 1));
        var xGaps = x.Zip(x.Skip(1), (a, b) => b - a).ToList();
        Assert.That(xGaps.Max() - xGaps.Min(), Is.LessThanOrEqualTo(1));
        var y = YTicks(img, f);   // 0.1, 0.2, …, 0.5
        Assert.That(y, Has.Count.EqualTo(5));
        Assert.That(y[0], Is.EqualTo(f.Top + 1));
        Assert.That(y[^1], Is.EqualTo(f.Bottom - 1));
    }

    [Test]
    public void ValuesSpanningDecadesGetALogAxisWithDecadeAndFiveTicks()
    {
        var steps = Range(1, 50);
        var img = LinePlot.Render([new PlotSeries("loss", steps, steps.Select(s => Math.Pow(10, -3 * (s - 1) / 49)).ToList())], Options);
        var f = Frame(img);
        var y = YTicks(img, f);   // top to bottom: 1, 0.5, 0.1, 0.05, 0.01, 0.005, 0.001
        Assert.That(y, Has.Count.EqualTo(7));
        double decade = (f.Bottom - f.Top - 2) / 3.0;
        for (int i = 0; i < 7; i++)
        {
            double expected = f.Top + 1 + (i / 2 + (i % 2 == 1 ? 1 - Math.Log10(5) : 0)) * decade;
            Assert.That(y[i], Is.EqualTo(expected).Within(1.0), $"tick {i}");
        }
    }

    [Test]
    public void LegendAppearsOnlyForSeveralSeries()
    {
        var x = Range(1, 10);
        var red = new Rgb(200, 0, 0);
        var one = LinePlot.Render([new PlotSeries("a", x, x) { Color = red }], Options);
        var two = LinePlot.Render([new PlotSeries("a", x, x) { Color = red }, new PlotSeries("b", x, x.Select(v => v / 2).ToList())], Options);
        int RedAboveFrame(RgbImage img) { var f = Frame(img); return Enumerable.Range(0, f.Top).Sum(y => Enumerable.Range(0, img.Width).Count(xx => img[xx, y] == red)); }
        Assert.That(RedAboveFrame(one), Is.Zero);
        Assert.That(RedAboveFrame(two), Is.GreaterThan(0));
    }

    [Test]
    public void DataStaysInsideTheFrameAndTextOutsideIt()
    {
        var x = Range(1, 30);
        var blue = new Rgb(0, 0, 220);
        var img = LinePlot.Render([new PlotSeries("a", x, x.Select(v => Math.Sin(v / 3)).ToList()) { Color = blue, Markers = true }], Options);
        var f = Frame(img);
        for (int y = 0; y < img.Height; y++)
            for (int xx = 0; xx < img.Width; xx++)
                if (img[xx, y] == blue)
                    Assert.That(xx > f.Left - 3 && xx < f.Right + 3 && y > f.Top - 3 && y < f.Bottom + 3, $"data pixel at ({xx},{y}) outside the frame");
        bool InkIn(int x0, int y0, int x1, int y1) => Enumerable.Range(y0, y1 - y0).Any(y => Enumerable.Range(x0, x1 - x0).Any(xx => img[xx, y] == Rgb.Ink));
        Assert.That(InkIn(0, 0, img.Width, f.Top), "title");
        Assert.That(InkIn(0, f.Bottom + 8, img.Width, img.Height), "x tick numbers and label");
        Assert.That(InkIn(0, f.Top, 24, f.Bottom), "y label");
    }

    [Test]
    public void NoDrawablePointStillDrawsTheAxes()
    {
        var img = LinePlot.Render([new PlotSeries("empty", [double.NaN], [double.NaN])], Options);
        var f = Frame(img);
        Assert.That(XTicks(img, f), Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void MismatchedSeriesLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => LinePlot.Render([new PlotSeries("bad", [1, 2], [1])], Options));
}
