// ILGPU 2-D pooling kernels: max (recording the flat input index of the winner) and average
// (count_include_pad), and their gradients as gathers per input pixel (deterministic, no atomics).
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Pooling kernels; reference: <see cref="PoolReference"/>. Argmax holds flat indices into x
/// (plane·H·W + h·W + w), −1 when a window holds no real input.</summary>
internal static class PoolKernels
{
    /// <summary>y = max over each window; argmax = flat input index of the first maximum.</summary>
    public static void MaxForward(ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, PoolGeometry p, int writeArgmax)
    {
        int total = p.OutCount;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int plane = t / (p.OH * p.OW), r = t - plane * p.OH * p.OW, oh = r / p.OW, ow = r - oh * p.OW;
            float best = float.NegativeInfinity;
            int bestIdx = -1;
            for (int kh = 0; kh < p.KH; kh++)
            {
                int ih = oh * p.StrideH - p.PadH + kh;
                if (ih < 0 || ih >= p.H) continue;
                for (int kw = 0; kw < p.KW; kw++)
                {
                    int iw = ow * p.StrideW - p.PadW + kw;
                    if (iw < 0 || iw >= p.W) continue;
                    int xi = (plane * p.H + ih) * p.W + iw;
                    float v = x[xi];
                    if (bestIdx < 0 || v > best) { best = v; bestIdx = xi; }
                }
            }
            y[t] = best;
            if (writeArgmax != 0) argmax[t] = bestIdx;
        }
    }

    /// <summary>y = Σ window / (KH·KW), padded taps counting as zeros.</summary>
    public static void AvgForward(ArrayView<float> x, ArrayView<float> y, PoolGeometry p)
    {
        int total = p.OutCount;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int plane = t / (p.OH * p.OW), r = t - plane * p.OH * p.OW, oh = r / p.OW, ow = r - oh * p.OW;
            float s = 0f;
            for (int kh = 0; kh < p.KH; kh++)
            {
                int ih = oh * p.StrideH - p.PadH + kh;
                if (ih < 0 || ih >= p.H) continue;
                for (int kw = 0; kw < p.KW; kw++)
                {
                    int iw = ow * p.StrideW - p.PadW + kw;
                    if (iw >= 0 && iw < p.W) s += x[(plane * p.H + ih) * p.W + iw];
                }
            }
            y[t] = s / (p.KH * p.KW);
        }
    }

    /// <summary>gx[i] = Σ gy[o] over outputs o whose argmax is i (gather over covering windows).</summary>
    public static void MaxBackward(ArrayView<float> gy, ArrayView<int> argmax, ArrayView<float> gx, PoolGeometry p)
    {
        int total = p.InCount;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int plane = t / (p.H * p.W), r = t - plane * p.H * p.W, ih = r / p.W, iw = r - ih * p.W;
            int oh0 = WindowMath.FirstOutput(ih, p.KH, p.StrideH, p.PadH), oh1 = WindowMath.LastOutput(ih, p.StrideH, p.PadH, p.OH);
            int ow0 = WindowMath.FirstOutput(iw, p.KW, p.StrideW, p.PadW), ow1 = WindowMath.LastOutput(iw, p.StrideW, p.PadW, p.OW);
            float s = 0f;
            for (int oh = oh0; oh <= oh1; oh++)
                for (int ow = ow0; ow <= ow1; ow++)
                {
                    int o = (plane * p.OH + oh) * p.OW + ow;
                    if (argmax[o] == t) s += gy[o];
                }
            gx[t] = s;
        }
    }

    /// <summary>gx[i] = Σ gy[o] / (KH·KW) over outputs o whose window covers i.</summary>
    public static void AvgBackward(ArrayView<float> gy, ArrayView<float> gx, PoolGeometry p)
    {
        int total = p.InCount;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int plane = t / (p.H * p.W), r = t - plane * p.H * p.W, ih = r / p.W, iw = r - ih * p.W;
            int oh0 = WindowMath.FirstOutput(ih, p.KH, p.StrideH, p.PadH), oh1 = WindowMath.LastOutput(ih, p.StrideH, p.PadH, p.OH);
            int ow0 = WindowMath.FirstOutput(iw, p.KW, p.StrideW, p.PadW), ow1 = WindowMath.LastOutput(iw, p.StrideW, p.PadW, p.OW);
            float s = 0f;
            for (int oh = oh0; oh <= oh1; oh++)
                for (int ow = ow0; ow <= ow1; ow++)
                    s += gy[(plane * p.OH + oh) * p.OW + ow];
            gx[t] = s / (p.KH * p.KW);
        }
    }
}
