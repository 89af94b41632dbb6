// The inputs of a line plot: one named series of (x, y) points, and the plot's title, axis labels, size and scales.
namespace My3DGen.Models.Imaging;

/// <summary>How an axis maps values to positions.</summary>
public enum AxisScale
{
    /// <summary>Logarithmic when every value is positive and the largest is at least 10× the smallest, else linear.</summary>
    Auto,
    /// <summary>Evenly spaced values.</summary>
    Linear,
    /// <summary>Evenly spaced powers of ten (values ≤ 0 are left out).</summary>
    Logarithmic,
}

/// <summary>One line of a plot: points (X[i], Y[i]) joined in order; non-finite points break the line.</summary>
/// <param name="Name">Shown in the legend (plots with more than one series).</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, as many as <paramref name="X"/>.</param>
public sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Line colour; by default the series' position in <see cref="Rgb.SeriesPalette"/>.</summary>
    public Rgb? Color { get; init; }
    /// <summary>Line width in pixels.</summary>
    public int Thickness { get; init; } = 2;
    /// <summary>Whether each point is also drawn as a small square (useful for few points, e.g. a metric per θ).</summary>
    public bool Markers { get; init; }
}

/// <summary>Title, axis labels (name and unit, e.g. "time (s)"), size and axis scales of a line plot.</summary>
public sealed record LinePlotOptions
{
    /// <summary>Shown centred above the plot.</summary>
    public required string Title { get; init; }
    /// <summary>The x axis's label, with its unit.</summary>
    public required string XLabel { get; init; }
    /// <summary>The y axis's label, with its unit.</summary>
    public required string YLabel { get; init; }
    /// <summary>Picture width in pixels.</summary>
    public int Width { get; init; } = 800;
    /// <summary>Picture height in pixels.</summary>
    public int Height { get; init; } = 480;
    /// <summary>Text size: each font pixel becomes Scale×Scale pixels (2 ≈ 18 px lines); the title is one step larger.</summary>
    public int TextScale { get; init; } = 2;
    /// <summary>Smallest spacing of ticks on a linear x axis (e.g. 1 when x counts steps, so no tick falls between two); 0 = any.</summary>
    public double XMinTickStep { get; init; }
    /// <summary>Scale of the x axis.</summary>
    public AxisScale XScale { get; init; } = AxisScale.Linear;
    /// <summary>Scale of the y axis.</summary>
    public AxisScale YScale { get; init; } = AxisScale.Auto;
}
