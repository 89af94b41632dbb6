// CPU backend: the separable 4-tap FIR (FirGeometry) as two vectorised passes per output row: the vertical taps combine
// four input rows into a zero-padded scratch row, the horizontal taps then read it at four shifted offsets.
using System.Numerics;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Fir2d(in FirGeometry g, Storage x, Storage? bias, Storage y)
    {
        g.Validate();
        var xs = D(x); var ys = D(y);
        var bs = bias == null ? null : D(bias);
        if (xs.Length < g.InputLength || ys.Length < g.OutputLength || bs != null && bs.Length < g.Channels)
            throw new ArgumentException($"FIR buffers too small for {g}");
        var geo = g;
        long rows = (long)g.Planes * g.OH;
        CpuParallel.For(rows, Math.Max(1, (1 << 14) / g.OW), (r0, r1) =>
        {
            // Scratch row: input column c lives at index c + 3; 3 zeros before, enough after for any output column.
            var tmp = new float[geo.W + geo.OW + 8 + Vector<float>.Count];
            for (long r = r0; r < r1; r++) Row(geo, xs, bs, ys, (int)(r / geo.OH), (int)(r % geo.OH), tmp);
        });
    }

    static void Row(in FirGeometry g, float[] x, float[]? bias, float[] y, int plane, int i, float[] tmp)
    {
        var t = tmp.AsSpan(3, g.W);
        t.Clear();
        for (int a = 0; a < 4; a++)
        {
            int ih = i + a - g.Pad;
            if (ih < 0 || ih >= g.H) continue;
            CpuVectorOps.AddScaled(t, x.AsSpan((int)(((long)plane * g.H + ih) * g.W), g.W), g.Tap(a));
        }
        var dst = y.AsSpan((int)(((long)plane * g.OH + i) * g.OW), g.OW);
        float b0 = bias == null ? 0f : bias[plane % g.Channels];
        // dst[j] = b + Σ_b F[b]·tmp[j + b − Pad + 3]
        int s = 3 - g.Pad, j = 0, vc = Vector<float>.Count;
        var f0 = new Vector<float>(g.F0); var f1 = new Vector<float>(g.F1);
        var f2 = new Vector<float>(g.F2); var f3 = new Vector<float>(g.F3);
        var bv = new Vector<float>(b0);
        for (; j + vc <= g.OW; j += vc)
        {
            var v = bv + f0 * new Vector<float>(tmp, j + s) + f1 * new Vector<float>(tmp, j + s + 1)
                       + f2 * new Vector<float>(tmp, j + s + 2) + f3 * new Vector<float>(tmp, j + s + 3);
            v.CopyTo(dst[j..]);
        }
        for (; j < g.OW; j++)
            dst[j] = b0 + g.F0 * tmp[j + s] + g.F1 * tmp[j + s + 1] + g.F2 * tmp[j + s + 2] + g.F3 * tmp[j + s + 3];
    }
}
