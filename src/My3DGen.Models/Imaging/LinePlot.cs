// Renders line plots as pictures: a framed plot area with light grid lines, ticks and numbers on both axes (1-2-5
// steps, or decades on a log axis), axis labels, a title and, for several series, a legend row under the title.
namespace My3DGen.Models.Imaging;

/// <summary>Line plots with axes, ticks, tick numbers, axis labels, a title and a legend, drawn without any plotting package.</summary>
public static class LinePlot
{
    /// <summary>Draws <paramref name="series"/> (at least one) as described by <paramref name="options"/>. Axis ranges enclose every
    /// finite point; on a logarithmic axis points ≤ 0 are left out. With no drawable point the axes are drawn with a "no data" note.</summary>
    public static RgbImage Render(IReadOnlyList<PlotSeries> series, LinePlotOptions options)
    {
        if (series.Count == 0) throw new ArgumentException("a plot needs at least one series", nameof(series));
        foreach (var s in series)
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}': {s.X.Count} x values but {s.Y.Count} y values", nameof(series));
        int sc = options.TextScale, W = options.Width, H = options.Height;
        int pad = 6 * sc, tick = 3 * sc, lineH = TextRenderer.LineHeight(sc);
        var img = new RgbImage(W, H);

        bool logY = UseLog(options.YScale, series.SelectMany(s => s.Y));
        bool logX = UseLog(options.XScale, series.SelectMany(s => s.X));
        var points = series.Select(s => Enumerable.Range(0, s.X.Count).Select(i => (X: s.X[i], Y: s.Y[i]))
            .Select(p => Drawable(p, logX, logY) ? p : (X: double.NaN, Y: double.NaN)).ToList()).ToList();
        var finite = points.SelectMany(p => p).Where(p => double.IsFinite(p.X)).ToList();
        var xAxis = MakeAxis(finite.Select(p => p.X).ToList(), logX, options.XMinTickStep);
        var yAxis = MakeAxis(finite.Select(p => p.Y).ToList(), logY, 0);

        // Layout, top to bottom: title, legend rows, plot area, x tick numbers, x label; left to right: y label, y tick numbers, plot.
        int titleScale = TextRenderer.Measure(options.Title, sc + 1).Width <= W - 2 * pad ? sc + 1 : sc;
        string title = TextRenderer.Wrap(options.Title, W - 2 * pad, titleScale);
        int y = pad;
        TextRenderer.Draw(img, title, W / 2, y, Rgb.Ink, titleScale, TextAlign.Center);
        y += TextRenderer.Measure(title, titleScale).Height + pad;
        var legendRows = series.Count > 1 ? LegendRows(series, W - 2 * pad, sc) : [];
        int legendTop = y;
        y += legendRows.Count * TextRenderer.LinePitch(sc) + (legendRows.Count > 0 ? pad : 0);
        int plotTop = y;
        int yTickWidth = yAxis.Labels.Max(l => TextRenderer.Measure(l, sc).Width);
        int plotLeft = pad + lineH + pad + yTickWidth + 2 * sc + tick;
        int plotRight = W - pad - TextRenderer.Measure(xAxis.Labels[^1], sc).Width / 2;
        int plotBottom = H - (pad + lineH + pad + lineH + 2 * sc + tick);
        if (plotRight - plotLeft < 20 || plotBottom - plotTop < 20)
            throw new ArgumentException($"{W}×{H} is too small for this plot's labels at text scale {sc}", nameof(options));
        int pw = plotRight - plotLeft, ph = plotBottom - plotTop;
        int Px(double v) => plotLeft + (int)Math.Round(xAxis.Fraction(v) * (pw - 1));
        int Py(double v) => plotTop + ph - 1 - (int)Math.Round(yAxis.Fraction(v) * (ph - 1));

        foreach (var t in xAxis.Ticks) img.FillRectangle(Px(t), plotTop, 1, ph, Rgb.LightGrey);
        foreach (var t in yAxis.Ticks) img.FillRectangle(plotLeft, Py(t), pw, 1, Rgb.LightGrey);
        for (int k = 0; k < series.Count; k++)
            DrawSeries(img, points[k], series[k], ColorOf(series, k), Px, Py);
        if (finite.Count == 0) TextRenderer.Draw(img, "no data", plotLeft + pw / 2, plotTop + ph / 2 - lineH / 2, Rgb.Grey, sc, TextAlign.Center);
        img.DrawRectangle(plotLeft - 1, plotTop - 1, pw + 2, ph + 2, Rgb.Ink);

        for (int i = 0; i < xAxis.Ticks.Count; i++)
        {
            int px = Px(xAxis.Ticks[i]);
            img.FillRectangle(px, plotBottom + 1, 1, tick, Rgb.Ink);
            TextRenderer.Draw(img, xAxis.Labels[i], px, plotBottom + 1 + tick + 2 * sc, Rgb.Ink, sc, TextAlign.Center);
        }
        for (int i = 0; i < yAxis.Ticks.Count; i++)
        {
            int py = Py(yAxis.Ticks[i]);
            img.FillRectangle(plotLeft - 1 - tick, py, tick, 1, Rgb.Ink);
            TextRenderer.Draw(img, yAxis.Labels[i], plotLeft - 1 - tick - 2 * sc, py - 7 * sc / 2, Rgb.Ink, sc, TextAlign.Right);
        }
        TextRenderer.Draw(img, options.XLabel, plotLeft + pw / 2, H - pad - lineH, Rgb.Ink, sc, TextAlign.Center);
        TextRenderer.DrawVertical(img, options.YLabel, pad, plotTop + ph / 2, Rgb.Ink, sc);
        DrawLegend(img, series, legendRows, W / 2, legendTop, sc);
        return img;
    }

    static bool UseLog(AxisScale scale, IEnumerable<double> values)
    {
        if (scale != AxisScale.Auto) return scale == AxisScale.Logarithmic;
        var v = values.Where(double.IsFinite).ToList();
        return v.Count > 1 && v.Min() > 0 && v.Max() >= 10 * v.Min();
    }

    static bool Drawable((double X, double Y) p, bool logX, bool logY) =>
        double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logX || p.X > 0) && (!logY || p.Y > 0);

    static AxisLayout MakeAxis(IReadOnlyList<double> values, bool log, double minStep)
    {
        if (values.Count == 0) return log ? AxisTicks.Logarithmic(1, 10) : AxisTicks.Linear(0, 1, minStep: minStep);
        return log ? AxisTicks.Logarithmic(values.Min(), values.Max()) : AxisTicks.Linear(values.Min(), values.Max(), minStep: minStep);
    }

    static Rgb ColorOf(IReadOnlyList<PlotSeries> series, int k) => series[k].Color ?? Rgb.SeriesPalette[k % Rgb.SeriesPalette.Count];

    static void DrawSeries(RgbImage img, List<(double X, double Y)> pts, PlotSeries s, Rgb color, Func<double, int> px, Func<double, int> py)
    {
        for (int i = 0; i < pts.Count; i++)
        {
            if (!double.IsFinite(pts[i].X)) continue;
            int x = px(pts[i].X), y = py(pts[i].Y);
            if (i > 0 && double.IsFinite(pts[i - 1].X)) img.DrawLine(px(pts[i - 1].X), py(pts[i - 1].Y), x, y, color, s.Thickness);
            else if (!s.Markers) img.FillRectangle(x - s.Thickness / 2, y - s.Thickness / 2, s.Thickness, s.Thickness, color);
            if (s.Markers) { int m = 2 * s.Thickness + 3; img.FillRectangle(x - m / 2, y - m / 2, m, m, color); }
        }
    }

    const int LegendSwatch = 16, LegendGap = 4, LegendSpacing = 12;   // in font pixels (× text scale)

    static int EntryWidth(PlotSeries s, int sc) => (LegendSwatch + LegendGap + LegendSpacing) * sc + TextRenderer.Measure(s.Name, sc).Width;

    /// <summary>Series indices per legend row, filling each row up to <paramref name="maxWidth"/>.</summary>
    static List<List<int>> LegendRows(IReadOnlyList<PlotSeries> series, int maxWidth, int sc)
    {
        var rows = new List<List<int>> { new() };
        int used = 0;
        for (int k = 0; k < series.Count; k++)
        {
            int w = EntryWidth(series[k], sc);
            if (rows[^1].Count > 0 && used + w > maxWidth) { rows.Add(new()); used = 0; }
            rows[^1].Add(k);
            used += w;
        }
        return rows;
    }

    static void DrawLegend(RgbImage img, IReadOnlyList<PlotSeries> series, List<List<int>> rows, int centerX, int top, int sc)
    {
        foreach (var row in rows)
        {
            int width = row.Sum(k => EntryWidth(series[k], sc)) - LegendSpacing * sc;
            int x = centerX - width / 2, mid = top + 7 * sc / 2;
            foreach (int k in row)
            {
                var color = ColorOf(series, k);
                img.FillRectangle(x, mid - Math.Max(1, series[k].Thickness) / 2, LegendSwatch * sc, Math.Max(1, series[k].Thickness), color);
                if (series[k].Markers) { int m = 2 * series[k].Thickness + 3; img.FillRectangle(x + LegendSwatch * sc / 2 - m / 2, mid - m / 2, m, m, color); }
                TextRenderer.Draw(img, series[k].Name, x + (LegendSwatch + LegendGap) * sc, top, Rgb.Ink, sc);
                x += EntryWidth(series[k], sc);
            }
            top += TextRenderer.LinePitch(sc);
        }
    }
}
