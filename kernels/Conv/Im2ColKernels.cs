// ILGPU kernels that turn convolution into GEMM: im2col (unfold one sample), col2im as a gather per
// input pixel (no atomics: each input sums the columns whose windows cover it) and a per-channel bias add.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Im2col family; reference: <see cref="ConvReference"/> (direct convolution).</summary>
internal static class Im2ColKernels
{
    /// <summary>cols[C·KH·KW, OH·OW] = unfold(x[C,H,W]) for one sample; padded taps are 0.</summary>
    public static void Im2Col(ArrayView<float> x, ArrayView<float> cols, ConvGeometry p)
    {
        int ohw = p.OH * p.OW, total = p.ColRows * ohw;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int row = t / ohw, pix = t - row * ohw;
            int c = row / (p.KH * p.KW), kk = row - c * p.KH * p.KW, kh = kk / p.KW, kw = kk - kh * p.KW;
            int oh = pix / p.OW, ow = pix - oh * p.OW;
            int ih = oh * p.StrideH - p.PadH + kh, iw = ow * p.StrideW - p.PadW + kw;
            cols[t] = ih >= 0 && ih < p.H && iw >= 0 && iw < p.W ? x[(c * p.H + ih) * p.W + iw] : 0f;
        }
    }

    /// <summary>gx[C,H,W] (+)= fold(cols) for one sample, gathering per input pixel.</summary>
    public static void Col2Im(ArrayView<float> cols, ArrayView<float> gx, ConvGeometry p, int accumulate)
    {
        int total = p.C * p.H * p.W;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int c = t / (p.H * p.W), r = t - c * p.H * p.W, ih = r / p.W, iw = r - ih * p.W;
            int oh0 = WindowMath.FirstOutput(ih, p.KH, p.StrideH, p.PadH), oh1 = WindowMath.LastOutput(ih, p.StrideH, p.PadH, p.OH);
            int ow0 = WindowMath.FirstOutput(iw, p.KW, p.StrideW, p.PadW), ow1 = WindowMath.LastOutput(iw, p.StrideW, p.PadW, p.OW);
            float s = 0f;
            for (int oh = oh0; oh <= oh1; oh++)
                for (int ow = ow0; ow <= ow1; ow++)
                    s += cols[p.ColIndex(c, ih + p.PadH - oh * p.StrideH, iw + p.PadW - ow * p.StrideW, oh, ow)];
            gx[t] = accumulate != 0 ? gx[t] + s : s;
        }
    }

    /// <summary>y[n, ch, i] += bias[ch] over y [n, channels, plane] of <paramref name="total"/> elements.</summary>
    public static void AddChannelBias(ArrayView<float> y, ArrayView<float> bias, int channels, int plane, int total)
    {
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
            y[t] += bias[(t / plane) % channels];
    }
}
