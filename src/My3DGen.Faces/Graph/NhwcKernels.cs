// The spatial ops of the face graphs on NHWC float32 tensors in plain C#: Conv2D (TF's SAME/VALID padding), depthwise
// conv and max-pool share one window loop (rows in parallel, SIMD along channels), with fused bias and activation; and
// constant pad. Accumulation follows TF.js's CPU kernels (kernel row, column, input channel), so results agree to rounding.
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
        if (w.Shape[2] != x.Shape[3]) throw new ArgumentException($"conv input has {x.Shape[3]} channels, filter expects {w.Shape[2]}");
        return Slide(x, w.Shape[0], w.Shape[1], strideH, strideW, padding, w.Shape[3],
            new ConvTaps(x.Data, w.Data, x.Shape[3], w.Shape[3], new Epilogue(bias, activation, alpha)));
    }

    /// <summary>Depthwise conv: x [N,H,W,C] with w [KH,KW,C,M] gives C·M channels (channel c·M+m), then bias and activation.</summary>
    public static GraphTensor DepthwiseConv2D(GraphTensor x, GraphTensor w, int strideH, int strideW, string padding,
        float[]? bias = null, FusedActivation activation = FusedActivation.None, float[]? alpha = null)
    {
        int c = x.Shape[3], m = w.Shape[3];
        if (w.Shape[2] != c) throw new ArgumentException($"depthwise input has {c} channels, filter expects {w.Shape[2]}");
        return Slide(x, w.Shape[0], w.Shape[1], strideH, strideW, padding, c * m, new DepthwiseTaps(x.Data, w.Data, c, m, new Epilogue(bias, activation, alpha)));
    }

    /// <summary>Max-pool over [kh,kw] windows; padded positions never win (TF semantics).</summary>
    public static GraphTensor MaxPool(GraphTensor x, int kh, int kw, int strideH, int strideW, string padding) =>
        Slide(x, kh, kw, strideH, strideW, padding, x.Shape[3], new MaxTaps(x.Data, x.Shape[3]));

    /// <summary>What a sliding-window op does at one output pixel: start its channels, take each input pixel of the window
    /// that lies inside the image (offset of its channel 0 in x, and its tap index ky·KW + kx), then finish.</summary>
    interface IWindowOp
    {
        void Begin(Span<float> acc);
        void Tap(Span<float> acc, int xOffset, int tap);
        void End(Span<float> acc);
    }

    /// <summary>The one window loop: output rows in parallel; per output pixel, kernel rows then kernel columns, skipping
    /// positions in TF's SAME/VALID padding.</summary>
    static GraphTensor Slide<TOp>(GraphTensor x, int kh, int kw, int strideH, int strideW, string padding, int outChannels, TOp op)
        where TOp : struct, IWindowOp
    {
        int n = x.Shape[0], h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3];
        var (oh, padT) = Geometry(h, kh, strideH, padding);
        var (ow, padL) = Geometry(wd, kw, strideW, padding);
        var y = new GraphTensor(n, oh, ow, outChannels);
        float[] ys = y.Data;
        Parallel.For(0, n * oh, row =>
        {
            int b = row / oh, oy = row % oh;
            for (int ox = 0; ox < ow; ox++)
            {
                var acc = ys.AsSpan(((b * oh + oy) * ow + ox) * outChannels, outChannels);
                op.Begin(acc);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * strideH - padT + ky;
                    if ((uint)iy >= (uint)h) continue;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = ox * strideW - padL + kx;
                        if ((uint)ix >= (uint)wd) continue;
                        op.Tap(acc, ((b * h + iy) * wd + ix) * c, ky * kw + kx);
                    }
                }
                op.End(acc);
            }
        });
        return y;
    }

    /// <summary>Conv taps: every input channel times its filter row, in input-channel order (zeros skipped).</summary>
    readonly struct ConvTaps(float[] xs, float[] ws, int ci, int co, Epilogue epilogue) : IWindowOp
    {
        public void Begin(Span<float> acc) { }
        public void Tap(Span<float> acc, int xOffset, int tap)
        {
            int wBase = tap * ci * co;
            for (int c = 0; c < ci; c++)
            {
                float v = xs[xOffset + c];
                if (v != 0) Axpy(acc, v, ws.AsSpan(wBase + c * co, co));
            }
        }
        public void End(Span<float> acc) => epilogue.Apply(acc);
    }

    /// <summary>Depthwise taps: channel c·M+m gets input channel c times its own weight.</summary>
    readonly struct DepthwiseTaps(float[] xs, float[] ws, int c, int m, Epilogue epilogue) : IWindowOp
    {
        public void Begin(Span<float> acc) { }
        public void Tap(Span<float> acc, int xOffset, int tap)
        {
            var xin = xs.AsSpan(xOffset, c);
            var wk = ws.AsSpan(tap * c * m, c * m);
            if (m == 1) MultiplyAdd(acc, xin, wk);
            else for (int k = 0; k < acc.Length; k++) acc[k] += xin[k / m] * wk[k];
        }
        public void End(Span<float> acc) => epilogue.Apply(acc);
    }

    /// <summary>Max-pool taps: the running maximum per channel (NaN wins, as in TF).</summary>
    readonly struct MaxTaps(float[] xs, int c) : IWindowOp
    {
        public void Begin(Span<float> acc) => acc.Fill(float.NegativeInfinity);
        public void Tap(Span<float> acc, int xOffset, int tap)
        {
            var xin = xs.AsSpan(xOffset, c);
            for (int k = 0; k < c; k++) if (xin[k] > acc[k] || float.IsNaN(xin[k])) acc[k] = xin[k];
        }
        public void End(Span<float> acc) { }
    }

    /// <summary>The fused bias and activation after a convolution.</summary>
    readonly struct Epilogue(float[]? bias, FusedActivation activation, float[]? alpha)
    {
        public void Apply(Span<float> acc)
        {
            if (bias != null) for (int k = 0; k < acc.Length; k++) acc[k] += bias[k];
            if (activation == FusedActivation.Relu) for (int k = 0; k < acc.Length; k++) acc[k] = acc[k] < 0 ? 0 : acc[k];
            else if (activation == FusedActivation.Prelu)
                for (int k = 0; k < acc.Length; k++) if (acc[k] < 0) acc[k] *= alpha![alpha.Length == 1 ? 0 : k];
        }
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
