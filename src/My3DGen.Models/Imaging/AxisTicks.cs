// Chooses an axis's range, tick positions and tick labels: "nice" 1-2-5 steps on linear axes, decades (with 2 and 5
// in between when few decades are shown) on logarithmic axes. Labels use the invariant culture.
using System.Globalization;

namespace My3DGen.Models.Imaging;

/// <summary>An axis's displayed range (data values), whether it is logarithmic, its ticks and their labels.</summary>
internal sealed record AxisLayout(double Min, double Max, bool Logarithmic, IReadOnlyList<double> Ticks, IReadOnlyList<string> Labels)
{
    /// <summary>Where <paramref name="value"/> lies along the axis, 0 at <see cref="Min"/> and 1 at <see cref="Max"/>.</summary>
    internal double Fraction(double value) => Logarithmic
        ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (value - Min) / (Max - Min);
}

internal static class AxisTicks
{
    /// <summary>The 1-2-5 step (1, 2 or 5 × 10^k) closest above <paramref name="rawStep"/>.</summary>
    internal static double NiceStep(double rawStep)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rawStep)));
        double f = rawStep / magnitude;
        return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * magnitude;
    }

    /// <summary>A linear axis covering [<paramref name="lo"/>, <paramref name="hi"/>] whose ends are multiples of a 1-2-5 step
    /// chosen so that there are at most <paramref name="maxTicks"/> + 1 ticks, and no smaller than <paramref name="minStep"/>
    /// (e.g. 1 for counts such as step numbers) when that is positive.</summary>
    internal static AxisLayout Linear(double lo, double hi, int maxTicks = 6, double minStep = 0)
    {
        if (!(hi > lo)) { double pad = Math.Max(minStep, lo == 0 ? 1 : Math.Abs(lo) * 0.1); lo -= pad; hi += pad; }
        double step = Math.Max(NiceStep((hi - lo) / maxTicks), minStep > 0 ? NiceStep(minStep) : 0);
        double min = Math.Floor(lo / step + 1e-9) * step, max = Math.Ceiling(hi / step - 1e-9) * step;
        int count = (int)Math.Round((max - min) / step);
        var ticks = Enumerable.Range(0, count + 1).Select(i => Clean(min + i * step, step)).ToList();
        return new AxisLayout(ticks[0], ticks[^1], false, ticks, ticks.Select(t => FormatLinear(t, step)).ToList());
    }

    static double Clean(double v, double step) => Math.Abs(v) < step * 1e-6 ? 0 : Math.Round(v / step) * step;

    static string FormatLinear(double v, double step)
    {
        double largest = Math.Abs(v);
        if (v != 0 && (largest >= 1e6 || step < 1e-4)) return Scientific(v);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return v.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>A logarithmic axis for positive [<paramref name="lo"/>, <paramref name="hi"/>]: the ends are 1, 2 or 5 × 10^k; ticks at
    /// 1, 2 and 5 × 10^k, thinned (first the 2s, then the 5s, then every n-th decade) to about <paramref name="maxTicks"/>.</summary>
    internal static AxisLayout Logarithmic(double lo, double hi, int maxTicks = 8)
    {
        if (!(lo > 0)) throw new ArgumentOutOfRangeException(nameof(lo), $"a logarithmic axis needs positive values, got {lo}");
        if (!(hi > lo)) hi = lo * 10;
        int e0 = (int)Math.Floor(Math.Log10(lo) + 1e-9), e1 = (int)Math.Ceiling(Math.Log10(hi) - 1e-9);
        var candidates = Enumerable.Range(e0, e1 - e0 + 1).SelectMany(e => new[] { 1.0, 2, 5 }.Select(m => (Mantissa: m, Exponent: e))).ToList();
        var min = candidates.Last(c => Value(c) <= lo * (1 + 1e-9));
        var max = candidates.First(c => Value(c) >= hi * (1 - 1e-9));
        var shown = candidates.Where(c => Value(c) >= Value(min) * (1 - 1e-9) && Value(c) <= Value(max) * (1 + 1e-9)).ToList();
        if (shown.Count > maxTicks) shown = shown.Where(c => c.Mantissa != 2).ToList();
        if (shown.Count > maxTicks) shown = shown.Where(c => c.Mantissa == 1).ToList();
        int every = Math.Max(1, (int)Math.Ceiling(shown.Count / (double)maxTicks));
        if (every > 1) shown = shown.Where(c => (c.Exponent - e0) % every == 0).ToList();
        return new AxisLayout(Value(min), Value(max), true, shown.Select(Value).ToList(), shown.Select(FormatLog).ToList());
    }

    static double Value((double Mantissa, int Exponent) c) => c.Mantissa * Math.Pow(10, c.Exponent);

    static string FormatLog((double Mantissa, int Exponent) c) => c.Exponent is >= -4 and <= 5
        ? Value(c).ToString("F" + Math.Max(0, -c.Exponent), CultureInfo.InvariantCulture)
        : $"{c.Mantissa}e{c.Exponent}";

    static string Scientific(double v)
    {
        int e = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        double m = v / Math.Pow(10, e);
        return $"{Math.Round(m, 2).ToString(CultureInfo.InvariantCulture)}e{e}";
    }
}
