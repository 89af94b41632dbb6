// Memory-bound streaming kernel used both by the bandwidth probe and the axpy row: dst = s·x + y, vectorised and
// split into contiguous per-thread ranges so every core streams its own part of memory.
using System.Numerics;
using System.Runtime.InteropServices;

namespace My3DGen.Bench.Kernels;

public static class StreamKernels
{
    /// <summary>dst[i] = s·x[i] + y[i] on all cores (dst may alias y: that is axpy).</summary>
    public static void Triad(float[] dst, float[] x, float[] y, float s)
    {
        int threads = Environment.ProcessorCount;
        int chunk = (dst.Length / threads + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        Parallel.For(0, threads, t =>
        {
            int start = Math.Min(dst.Length, t * chunk), end = Math.Min(dst.Length, start + chunk);
            TriadRange(dst.AsSpan(start, end - start), x.AsSpan(start, end - start), y.AsSpan(start, end - start), s);
        });
    }

    private static void TriadRange(Span<float> dst, ReadOnlySpan<float> x, ReadOnlySpan<float> y, float s)
    {
        var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vs = new Vector<float>(s);
        for (int i = 0; i < vd.Length; i++) vd[i] = vs * vx[i] + vy[i];
        for (int i = vd.Length * Vector<float>.Count; i < dst.Length; i++) dst[i] = s * x[i] + y[i];
    }
}
