// Wall-clock measurement for the bench: warm up until consecutive timings agree (tiered JIT, caches, thread pool),
// then time enough runs to fill a budget and report the median and the best.
using System.Diagnostics;

namespace My3DGen.Bench;

/// <summary>Median and best wall time of the timed runs of one case.</summary>
public readonly record struct TimingStats(double MedianMs, double MinMs, int Runs);

public static class BenchTimer
{
    /// <summary>
    /// Runs <paramref name="action"/> until two consecutive warm-up timings are within 10% (at most
    /// <paramref name="maxWarmup"/> runs or ~1 s), then for about <paramref name="budgetSeconds"/> (between
    /// <paramref name="minRuns"/> and <paramref name="maxRuns"/> runs).
    /// </summary>
    public static TimingStats Measure(Action action, double budgetSeconds = 2, int minRuns = 3, int maxRuns = 50, int maxWarmup = 20)
    {
        double prev = Time(action), warmTotal = prev;
        for (int i = 1; i < maxWarmup && warmTotal < 1.0; i++)
        {
            double t = Time(action);
            warmTotal += t;
            bool stable = Math.Abs(t - prev) <= 0.1 * Math.Min(t, prev);
            prev = t;
            if (stable && i >= 2) break;
        }
        int runs = (int)Math.Clamp(Math.Ceiling(budgetSeconds / Math.Max(prev, 1e-6)), minRuns, maxRuns);
        var times = new double[runs];
        for (int i = 0; i < runs; i++) times[i] = Time(action);
        Array.Sort(times);
        double median = runs % 2 == 1 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
        return new TimingStats(median * 1e3, times[0] * 1e3, runs);
    }

    /// <summary>Seconds taken by one call.</summary>
    public static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
