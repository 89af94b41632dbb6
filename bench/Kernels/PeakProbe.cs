// Measures this machine's ceilings so the kernel table can report "% of peak" against numbers taken on the same box
// at the same time: FMA throughput (independent in-register FMA chains on every core) and streaming memory
// bandwidth (STREAM-style triad over arrays far larger than the caches). Best of several trials.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace My3DGen.Bench.Kernels;

/// <summary>Measured ceilings: all-core single-precision FMA GFLOP/s and triad GB/s.</summary>
public sealed record MachinePeaks(double FmaGflops, double TriadGBs, int Threads, string VectorIsa)
{
    /// <summary>Element-wise best of two probes (e.g. before and after the cases).</summary>
    public MachinePeaks Max(MachinePeaks other) =>
        this with { FmaGflops = Math.Max(FmaGflops, other.FmaGflops), TriadGBs = Math.Max(TriadGBs, other.TriadGBs) };
}

public static class PeakProbe
{
    private const int Chains = 16, Iterations = 1_000_000; // ~5 ms per trial: short enough to dodge preemption

    public static MachinePeaks Measure(bool quick)
    {
        int threads = Environment.ProcessorCount;
        string isa = Avx512F.IsSupported ? "avx512" : Fma.IsSupported ? "avx2+fma" : "vector128";
        // Many short trials, best kept: on a shared machine the quietest moment is the closest to the real ceiling.
        double gflops = 0;
        for (int trial = 0; trial < (quick ? 20 : 50); trial++) gflops = Math.Max(gflops, FmaGflops(threads, Iterations));
        return new MachinePeaks(gflops, TriadGBs(KernelShapes.StreamLength, quick ? 5 : 10), threads, isa);
    }

    /// <summary>
    /// All threads start together on a barrier; flops of all of them over the span from the earliest start to the
    /// latest finish, each taken by the worker itself (the coordinating thread may be descheduled at any point).
    /// </summary>
    private static double FmaGflops(int threads, int iterations)
    {
        using var start = new Barrier(threads);
        var sink = new float[threads];
        var begin = new long[threads];
        var end = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            begin[t] = Stopwatch.GetTimestamp();
            sink[t] = FmaLoop(iterations);
            end[t] = Stopwatch.GetTimestamp();
        }) { IsBackground = true }).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        double seconds = (double)(end.Max() - begin.Min()) / Stopwatch.Frequency;
        int lanes = Avx512F.IsSupported ? 16 : Fma.IsSupported ? 8 : 4;
        return 2.0 * Chains * lanes * iterations * threads / seconds / 1e9;
    }

    /// <summary>Chains independent FMA chains (enough to cover latency × ports) that never touch memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float FmaLoop(int iterations)
    {
        if (Avx512F.IsSupported) return FmaLoop512(iterations);
        if (Fma.IsSupported) return FmaLoop256(iterations);
        return FmaLoop128(iterations);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float FmaLoop512(int iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m;
        Vector512<float> c8 = m, c9 = m, c10 = m, c11 = m, c12 = m, c13 = m, c14 = m, c15 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, m, a); c1 = Avx512F.FusedMultiplyAdd(c1, m, a);
            c2 = Avx512F.FusedMultiplyAdd(c2, m, a); c3 = Avx512F.FusedMultiplyAdd(c3, m, a);
            c4 = Avx512F.FusedMultiplyAdd(c4, m, a); c5 = Avx512F.FusedMultiplyAdd(c5, m, a);
            c6 = Avx512F.FusedMultiplyAdd(c6, m, a); c7 = Avx512F.FusedMultiplyAdd(c7, m, a);
            c8 = Avx512F.FusedMultiplyAdd(c8, m, a); c9 = Avx512F.FusedMultiplyAdd(c9, m, a);
            c10 = Avx512F.FusedMultiplyAdd(c10, m, a); c11 = Avx512F.FusedMultiplyAdd(c11, m, a);
            c12 = Avx512F.FusedMultiplyAdd(c12, m, a); c13 = Avx512F.FusedMultiplyAdd(c13, m, a);
            c14 = Avx512F.FusedMultiplyAdd(c14, m, a); c15 = Avx512F.FusedMultiplyAdd(c15, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float FmaLoop256(int iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m;
        Vector256<float> c8 = m, c9 = m, c10 = m, c11 = m, c12 = m, c13 = m, c14 = m, c15 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a); c1 = Fma.MultiplyAdd(c1, m, a);
            c2 = Fma.MultiplyAdd(c2, m, a); c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a); c5 = Fma.MultiplyAdd(c5, m, a);
            c6 = Fma.MultiplyAdd(c6, m, a); c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a); c9 = Fma.MultiplyAdd(c9, m, a);
            c10 = Fma.MultiplyAdd(c10, m, a); c11 = Fma.MultiplyAdd(c11, m, a);
            c12 = Fma.MultiplyAdd(c12, m, a); c13 = Fma.MultiplyAdd(c13, m, a);
            c14 = Fma.MultiplyAdd(c14, m, a); c15 = Fma.MultiplyAdd(c15, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float FmaLoop128(int iterations)
    {
        var m = Vector128.Create(0.9999999f);
        var a = Vector128.Create(1e-7f);
        Vector128<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m;
        Vector128<float> c8 = m, c9 = m, c10 = m, c11 = m, c12 = m, c13 = m, c14 = m, c15 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector128.MultiplyAddEstimate(c0, m, a); c1 = Vector128.MultiplyAddEstimate(c1, m, a);
            c2 = Vector128.MultiplyAddEstimate(c2, m, a); c3 = Vector128.MultiplyAddEstimate(c3, m, a);
            c4 = Vector128.MultiplyAddEstimate(c4, m, a); c5 = Vector128.MultiplyAddEstimate(c5, m, a);
            c6 = Vector128.MultiplyAddEstimate(c6, m, a); c7 = Vector128.MultiplyAddEstimate(c7, m, a);
            c8 = Vector128.MultiplyAddEstimate(c8, m, a); c9 = Vector128.MultiplyAddEstimate(c9, m, a);
            c10 = Vector128.MultiplyAddEstimate(c10, m, a); c11 = Vector128.MultiplyAddEstimate(c11, m, a);
            c12 = Vector128.MultiplyAddEstimate(c12, m, a); c13 = Vector128.MultiplyAddEstimate(c13, m, a);
            c14 = Vector128.MultiplyAddEstimate(c14, m, a); c15 = Vector128.MultiplyAddEstimate(c15, m, a);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    /// <summary>
    /// STREAM-convention triad bandwidth (3 × 4 bytes counted per element), best over trials of a = b + s·c and of
    /// its in-place form b = b + s·c; the latter avoids the uncounted write-allocate read of a fresh destination.
    /// </summary>
    private static double TriadGBs(int length, int trials)
    {
        var (a, b, c) = (new float[length], BenchData.Uniform(length, 1), BenchData.Uniform(length, 2));
        StreamKernels.Triad(a, b, c, 0.5f); // first touch
        double best = double.MaxValue;
        for (int i = 0; i < trials; i++)
        {
            best = Math.Min(best, BenchTimer.Time(() => StreamKernels.Triad(a, b, c, 0.5f)));
            best = Math.Min(best, BenchTimer.Time(() => StreamKernels.Triad(b, c, b, 1e-3f)));
        }
        return 3.0 * sizeof(float) * length / best / 1e9;
    }
}
