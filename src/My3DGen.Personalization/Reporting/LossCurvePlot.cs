// The training-loss curve as a picture: the loss of every step and its moving average against the step number,
// with axes, ticks and numbers (log y axis when the loss spans a decade or more), a title and a legend.
using My3DGen.Models.Imaging;

namespace My3DGen.Personalization.Reporting;

/// <summary>Plots a trainer's loss history.</summary>
public static class LossCurvePlot
{
    /// <summary>Colour of the per-step loss line when a moving average is drawn over it (pale blue).</summary>
    internal static readonly Rgb RawColor = new(150, 185, 230);
    /// <summary>Colour of the moving average, or of the loss itself for runs too short to average (red).</summary>
    internal static readonly Rgb AverageColor = new(200, 40, 40);

    /// <summary>The loss of step 1, 2, … (<paramref name="losses"/>[i] is step i + 1) and, from 40 steps on, its trailing moving
    /// average over a twentieth of the steps; non-finite losses leave gaps.</summary>
    public static RgbImage Render(IReadOnlyList<float> losses, int width = 800, int height = 480)
    {
        var steps = Enumerable.Range(1, losses.Count).Select(s => (double)s).ToList();
        int window = Math.Max(1, losses.Count / 20);
        var raw = new PlotSeries("loss of each step", steps, losses.Select(v => (double)v).ToList());
        // Short runs (under 40 steps) have no average to show: their raw loss is drawn as the main line.
        var series = window == 1
            ? new List<PlotSeries> { raw with { Color = AverageColor, Markers = losses.Count <= 20 } }
            : [raw with { Color = RawColor, Thickness = 1 }, new PlotSeries($"moving average over {window} steps", steps, MovingAverage(losses, window)) { Color = AverageColor }];
        return LinePlot.Render(series, new LinePlotOptions
        {
            Title = $"Training loss, {losses.Count} steps",
            XLabel = "step (optimizer updates)",
            YLabel = "loss (MSE + LPIPS, unitless)",
            Width = width,
            Height = height,
            XMinTickStep = 1,
        });
    }

    /// <summary>Mean of the last <paramref name="window"/> finite values up to each step (fewer at the start); NaN where none.</summary>
    internal static List<double> MovingAverage(IReadOnlyList<float> values, int window)
    {
        var avg = new List<double>(values.Count);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (float.IsFinite(values[i])) { sum += values[i]; count++; }
            if (i >= window && float.IsFinite(values[i - window])) { sum -= values[i - window]; count--; }
            avg.Add(count > 0 ? sum / count : double.NaN);
        }
        return avg;
    }
}
