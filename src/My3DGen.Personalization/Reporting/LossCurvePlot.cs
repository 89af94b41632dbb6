// The training-loss curve as a picture: the loss of every step and its moving average against the step number,
// with axes, ticks and numbers (log y axis when the loss spans a decade or more), a title and a legend.
using My3DGen.Models.Imaging;

namespace My3DGen.Personalization.Reporting;

/// <summary>Plots a trainer's loss history.</summary>
public static class LossCurvePlot
{
    /// <summary>The loss of step 1, 2, … (<paramref name="losses"/>[i] is step i + 1) and its trailing moving average over
    /// about a twentieth of the steps; non-finite losses leave gaps.</summary>
    public static RgbImage Render(IReadOnlyList<float> losses, int width = 800, int height = 480)
    {
        var steps = Enumerable.Range(1, losses.Count).Select(s => (double)s).ToList();
        int window = Math.Max(1, losses.Count / 20);
        var series = new List<PlotSeries> { new("loss of each step", steps, losses.Select(v => (double)v).ToList()) { Color = new Rgb(150, 185, 230), Thickness = 1 } };
        if (window > 1) series.Add(new PlotSeries($"moving average over {window} steps", steps, MovingAverage(losses, window)) { Color = new Rgb(200, 40, 40) });
        return LinePlot.Render(series, new LinePlotOptions
        {
            Title = $"Training loss, {losses.Count} steps",
            XLabel = "step (optimizer updates)",
            YLabel = "loss (MSE + LPIPS, unitless)",
            Width = width,
            Height = height,
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
