// The two vectorised row loops the CPU kernels share: dst = a·src (in place allowed) and dst += a·src, on raw
// pointers (kernels working on pinned buffers) and spans.
using System.Numerics;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class CpuVectorOps
{
    /// <summary>dst[i] = a·src[i] for i &lt; n; dst may be src.</summary>
    public static void Scale(float* src, float a, float* dst, int n)
    {
        int i = 0;
        var av = new Vector<float>(a);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count) (Vector.Load(src + i) * av).Store(dst + i);
        for (; i < n; i++) dst[i] = a * src[i];
    }

    /// <summary>dst[i] += a·src[i] for i &lt; n.</summary>
    public static void AddScaled(float* dst, float* src, int n, float a)
    {
        int i = 0;
        var av = new Vector<float>(a);
        for (; i + Vector<float>.Count <= n; i += Vector<float>.Count) (Vector.Load(dst + i) + av * Vector.Load(src + i)).Store(dst + i);
        for (; i < n; i++) dst[i] += a * src[i];
    }

    /// <summary>dst[i] += a·src[i] over dst (src at least as long).</summary>
    public static void AddScaled(Span<float> dst, ReadOnlySpan<float> src, float a)
    {
        if (src.Length < dst.Length) throw new ArgumentException("src is shorter than dst", nameof(src));
        fixed (float* d = dst, s = src) AddScaled(d, s, dst.Length, a);
    }
}
