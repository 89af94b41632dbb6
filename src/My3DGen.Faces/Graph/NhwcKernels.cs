// The spatial ops of the face graphs on NHWC float32 tensors, in plain C# (SIMD along channels, rows in parallel):
// Conv2D with TF's SAME/VALID padding, depthwise conv, max-pool and constant pad, with fused bias and activation.
// Accumulation order follows TF.js's CPU kernels (kernel row, kernel column, input channel), so results agree to rounding.
using System.Numerics;
using System.Runtime.InteropServices;

namespace My3DGen.Faces.Graph;

/// <summary>The activation fused after a convolution's bias.</summary>
public enum FusedActivation
{
    /// <summary>None (bias only).</summary>
    None,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>x ≥ 0 ? x : α·x with a per-channel α.</summary>
    Prelu,
}

/// <summary>NHWC convolution, pooling and padding kernels.</summary>
public static class NhwcKernels
{
    /// <summary>TF's output size and leading pad for one spatial axis ("SAME" or "VALID").</summary>
    public static (int Out, int PadBefore) Geometry(int size, int kernel, int stride, string padding) => padding switch
    {
        "SAME" => ((size + stride - 1) / stride, Math.Max(((size + stride - 1) / stride - 1) * stride + kernel - size, 0) / 2),
        "VALID" => ((size - kernel + stride) / stride, 0),
        _ => throw new ArgumentException($"padding '{padding}' is not supported (SAME or VALID)"),
    };

    /// <summary>Conv2D: x [N,H,W,Ci] ⊛ w [KH,KW,Ci,Co] with strides, then bias [Co] and the activation.</summary>
    public static GraphTensor Conv2D(GraphTensor x, GraphTensor w, int strideH, int strideW, string padding,
        float[]? bias = null, FusedActivation activation = FusedActivation.None, float[]? alpha = null)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], ci = x.Shape[3];
        int kh = w.Shape[0], kw = w.Shape[1], co = w.Shape[3];
        if (w.Shape[2] != ci) throw new ArgumentException($"conv input has {ci} channels, filter expects {w.Shape[2]}");
        var (oh, padT) = Geometry(h, kh, strideH, padding);
        var (ow, padL) = Geometry(wd, kw, strideW, padding);
        var y = new GraphTensor(n, oh, ow, co);
        float[] xs = x.Data, ws = w.Data, ys = y.Data;
        Parallel.For(0, n * oh, row =>
        {
            int b = row / oh, oy = row % oh;
            for (int ox = 0; ox < ow; ox++)
            {
                var acc = ys.AsSpan(((b * oh + oy) * ow + ox) * co, co);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * strideH - padT + ky;
                    if ((uint)iy >= (uint)h) continue;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = ox * strideW - padL + kx;
                        if ((uint)ix >= (uint)wd) continue;
                        int xBase = ((b * h + iy) * wd + ix) * ci, wBase = (ky * kw + kx) * ci * co;
                        for (int c = 0; c < ci; c++)
                        {
                            float v = xs[xBase + c];
                            if (v != 0) Axpy(acc, v, ws.AsSpan(wBase + c * co, co));
                        }
                    }
                }
                Finish(acc, bias, activation, alpha);
            }
        });
        return y;
    }

    /// <summary>Depthwise conv: x [N,H,W,C] with w [KH,KW,C,M] gives C·M channels (channel c·M+m), then bias and activation.</summary>
    public static GraphTensor DepthwiseConv2D(GraphTensor x, GraphTensor w, int strideH, int strideW, string padding,
        float[]? bias = null, FusedActivation activation = FusedActivation.None, float[]? alpha = null)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        int kh = w.Shape[0], kw = w.Shape[1], m = w.Shape[3];
        if (w.Shape[2] != c) throw new ArgumentException($"depthwise input has {c} channels, filter expects {w.Shape[2]}");
        var (oh, padT) = Geometry(h, kh, strideH, padding);
        var (ow, padL) = Geometry(wd, kw, strideW, padding);
        int co = c * m;
        var y = new GraphTensor(n, oh, ow, co);
        float[] xs = x.Data, ws = w.Data, ys = y.Data;
        Parallel.For(0, n * oh, row =>
        {
            int b = row / oh, oy = row % oh;
            for (int ox = 0; ox < ow; ox++)
            {
                var acc = ys.AsSpan(((b * oh + oy) * ow + ox) * co, co);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * strideH - padT + ky;
                    if ((uint)iy >= (uint)h) continue;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = ox * strideW - padL + kx;
                        if ((uint)ix >= (uint)wd) continue;
                        var xin = xs.AsSpan(((b * h + iy) * wd + ix) * c, c);
                        var wk = ws.AsSpan((ky * kw + kx) * co, co);
                        if (m == 1) MultiplyAdd(acc, xin, wk);
                        else for (int k = 0; k < co; k++) acc[k] += xin[k / m] * wk[k];
                    }
                }
                Finish(acc, bias, activation, alpha);
            }
        });
        return y;
    }

    /// <summary>Max-pool over [kh,kw] windows; padded positions never win (TF semantics).</summary>
    public static GraphTensor MaxPool(GraphTensor x, int kh, int kw, int strideH, int strideW, string padding)
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        var (oh, padT) = Geometry(h, kh, strideH, padding);
        var (ow, padL) = Geometry(wd, kw, strideW, padding);
        var y = new GraphTensor(n, oh, ow, c);
        float[] xs = x.Data, ys = y.Data;
        Parallel.For(0, n * oh, row =>
        {
            int b = row / oh, oy = row % oh;
            for (int ox = 0; ox < ow; ox++)
            {
                var acc = ys.AsSpan(((b * oh + oy) * ow + ox) * c, c);
                acc.Fill(float.NegativeInfinity);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * strideH - padT + ky;
                    if ((uint)iy >= (uint)h) continue;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = ox * strideW - padL + kx;
                        if ((uint)ix >= (uint)wd) continue;
                        var xin = xs.AsSpan(((b * h + iy) * wd + ix) * c, c);
                        for (int k = 0; k < c; k++) if (xin[k] > acc[k] || float.IsNaN(xin[k])) acc[k] = xin[k];
                    }
                }
            }
        });
        return y;
    }

    /// <summary>Constant-zero pad: <paramref name="pads"/> holds (before, after) per dimension.</summary>
    public static GraphTensor Pad(GraphTensor x, int[] pads)
    {
        int rank = x.Rank;
        if (pads.Length != 2 * rank) throw new ArgumentException($"paddings have {pads.Length / 2} rows for a rank-{rank} tensor");
        var shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = x.Shape[d] + pads[2 * d] + pads[2 * d + 1];
        var y = new GraphTensor(shape);
        int inner = x.Shape[rank - 1], outer = x.Data.Length / Math.Max(inner, 1);
        var idx = new int[rank];
        for (int o = 0; o < outer; o++)
        {
            int rem = o, dst = 0;
            for (int d = rank - 2; d >= 0; d--) { idx[d] = rem % x.Shape[d]; rem /= x.Shape[d]; }
            for (int d = 0; d < rank - 1; d++) dst = dst * shape[d] + idx[d] + pads[2 * d];
            dst = dst * shape[rank - 1] + pads[2 * (rank - 1)];
            Array.Copy(x.Data, o * inner, y.Data, dst, inner);
        }
        return y;
    }

    static void Finish(Span<float> acc, float[]? bias, FusedActivation activation, float[]? alpha)
    {
        if (bias != null) for (int k = 0; k < acc.Length; k++) acc[k] += bias[k];
        if (activation == FusedActivation.Relu) for (int k = 0; k < acc.Length; k++) acc[k] = acc[k] < 0 ? 0 : acc[k];
        else if (activation == FusedActivation.Prelu)
            for (int k = 0; k < acc.Length; k++) if (acc[k] < 0) acc[k] *= alpha![alpha.Length == 1 ? 0 : k];
    }

    static void Axpy(Span<float> acc, float v, ReadOnlySpan<float> w)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && acc.Length >= Vector<float>.Count)
        {
            var av = MemoryMarshal.Cast<float, Vector<float>>(acc);
            var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
            var vv = new Vector<float>(v);
            for (int i = 0; i < av.Length; i++) av[i] += vv * wv[i];
            k = av.Length * Vector<float>.Count;
        }
        for (; k < acc.Length; k++) acc[k] += v * w[k];
    }

    static void MultiplyAdd(Span<float> acc, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && acc.Length >= Vector<float>.Count)
        {
            var av = MemoryMarshal.Cast<float, Vector<float>>(acc);
            var xv = MemoryMarshal.Cast<float, Vector<float>>(a);
            var wv = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int i = 0; i < av.Length; i++) av[i] += xv[i] * wv[i];
            k = av.Length * Vector<float>.Count;
        }
        for (; k < acc.Length; k++) acc[k] += a[k] * b[k];
    }
}
