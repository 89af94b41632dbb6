// Validation of numeric and list options before any work: finite, in range; the error names the option and the value.
using System.Globalization;

namespace My3DGen.Cli;

/// <summary>Checks of option values; each throws <see cref="UsageException"/>.</summary>
internal static class OptionChecks
{
    /// <summary><paramref name="value"/> of <paramref name="option"/> within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int InRange(int value, string option, int min, int max = int.MaxValue) =>
        value >= min && value <= max ? value
            : throw new UsageException(max == int.MaxValue ? $"{option} must be ≥ {min}, got {value}" : $"{option} must be between {min} and {max}, got {value}");

    /// <summary>A finite <paramref name="value"/> within [<paramref name="min"/>, <paramref name="max"/>] (<paramref name="aboveMin"/>: min excluded).</summary>
    public static float Finite(float value, string option, float min = float.MinValue, float max = float.MaxValue, bool aboveMin = false)
    {
        if (!float.IsFinite(value)) throw new UsageException($"{option} must be a finite number, got {Text(value)}");
        if (aboveMin ? value <= min : value < min) throw new UsageException($"{option} must be {(aboveMin ? ">" : "≥")} {Text(min)}, got {Text(value)}");
        if (value > max) throw new UsageException($"{option} must be ≤ {Text(max)}, got {Text(value)}");
        return value;
    }

    /// <summary>"0-3,7" → 0,1,2,3,7 (non-negative; at most <paramref name="limit"/> seeds).</summary>
    public static int[] Seeds(string text, int limit = 100_000)
    {
        var r = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ab = part.Split('-');
            if (ab.Length == 1 && int.TryParse(ab[0], out int s) && s >= 0) r.Add(s);
            else if (ab.Length == 2 && int.TryParse(ab[0], out int lo) && int.TryParse(ab[1], out int hi) && lo >= 0 && hi >= lo && hi - lo < limit)
                r.AddRange(Enumerable.Range(lo, hi - lo + 1));
            else throw new UsageException($"--seeds: '{part}' is not a seed or range like 0-7");
            if (r.Count > limit) throw new UsageException($"--seeds: more than {limit} seeds");
        }
        return r.Count > 0 ? r.ToArray() : throw new UsageException("--seeds: no seeds given");
    }

    /// <summary>Comma-separated finite numbers within ±<paramref name="bound"/>.</summary>
    public static float[] Floats(string text, string option, float bound)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? Finite(v, option, -bound, bound)
                : throw new UsageException($"{option}: '{t}' is not a number")).ToArray();
        return values.Length > 0 ? values : throw new UsageException($"{option}: no values given");
    }

    /// <summary>An input file: a folder or a missing path is a one-line error naming it.</summary>
    public static string InputFile(string path, string option)
    {
        if (Directory.Exists(path)) throw new Engine.IO.FileFormatException(path, $"is a folder; {option} takes a file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found ({option})", path);
        return path;
    }

    static string Text(float v) => v.ToString("G", CultureInfo.InvariantCulture);
}
