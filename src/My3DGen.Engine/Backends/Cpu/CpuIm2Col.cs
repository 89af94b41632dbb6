// im2col / col2im for one image: unrolls the kh×kw receptive fields of x[C,H,W] into a [C·kh·kw, Ho·Wo] matrix so a
// convolution becomes a GEMM, and scatters such a matrix back (+=). Works on ranges of output rows so the
// convolution can stream through an image in cache-sized chunks; stride-1 rows are copied/added as whole runs.
// Im2ColPacker goes one step further for the forward pass: it writes GEMM B panels straight from the image, optionally
// scaling each channel by a per-image factor (the modulated conv's styles) on the way.
using System.Numerics;
using System.Runtime.InteropServices;

namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuIm2Col
{
    /// <summary>Output extent of a convolution along one axis: (input + 2·pad − kernel) / stride + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int pad) => (input + 2 * pad - kernel) / stride + 1;

    /// <summary>cols[(c·kh + i)·kw + j, oh·Wo + ow] = x[c, oh·sh − ph + i, ow·sw − pw + j] (0 outside the image).</summary>
    public static void Im2Col(ReadOnlySpan<float> x, int C, int H, int W, int kh, int kw, int strideH, int strideW,
        int padH, int padW, Span<float> cols)
    {
        int Ho = CheckShapes(x.Length, cols.Length, C, H, W, kh, kw, strideH, strideW, padH, padW, nameof(cols));
        Im2ColRows(x, C, H, W, kh, kw, strideH, strideW, padH, padW, 0, Ho, cols);
    }

    /// <summary>Adjoint of <see cref="Im2Col"/>: x[c, ih, iw] += every cols entry that was read from it.</summary>
    public static void Col2Im(ReadOnlySpan<float> cols, int C, int H, int W, int kh, int kw, int strideH, int strideW,
        int padH, int padW, Span<float> x)
    {
        int Ho = CheckShapes(x.Length, cols.Length, C, H, W, kh, kw, strideH, strideW, padH, padW, nameof(cols));
        Col2ImRows(cols, C, H, W, kh, kw, strideH, strideW, padH, padW, 0, Ho, x);
    }

    /// <summary>Im2Col restricted to output rows [oh0, oh0 + rows); cols is then [C·kh·kw, rows·Wo].</summary>
    internal static void Im2ColRows(ReadOnlySpan<float> x, int C, int H, int W, int kh, int kw, int strideH, int strideW,
        int padH, int padW, int oh0, int rows, Span<float> cols)
    {
        var g = new RowGeometry(W, kw, strideW, padW, rows);
        for (int c = 0; c < C; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    var (lo, hi) = g.ValidColumns(j);
                    var dstRow = cols.Slice(((c * kh + i) * kw + j) * g.RowLength, g.RowLength);
                    for (int r = 0; r < rows; r++)
                    {
                        var dst = dstRow.Slice(r * g.Wo, g.Wo);
                        int ih = (oh0 + r) * strideH - padH + i;
                        if ((uint)ih >= (uint)H) { dst.Clear(); continue; }
                        var src = x.Slice((c * H + ih) * W, W);
                        dst[..lo].Clear();
                        dst[hi..].Clear();
                        if (strideW == 1) src.Slice(lo - padW + j, hi - lo).CopyTo(dst[lo..hi]);
                        else for (int ow = lo; ow < hi; ow++) dst[ow] = src[ow * strideW - padW + j];
                    }
                }
    }

    /// <summary>Col2Im restricted to output rows [oh0, oh0 + rows); cols is [C·kh·kw, rows·Wo]; accumulates into x.</summary>
    internal static void Col2ImRows(ReadOnlySpan<float> cols, int C, int H, int W, int kh, int kw, int strideH, int strideW,
        int padH, int padW, int oh0, int rows, Span<float> x)
    {
        var g = new RowGeometry(W, kw, strideW, padW, rows);
        for (int c = 0; c < C; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    var (lo, hi) = g.ValidColumns(j);
                    var srcRow = cols.Slice(((c * kh + i) * kw + j) * g.RowLength, g.RowLength);
                    for (int r = 0; r < rows; r++)
                    {
                        int ih = (oh0 + r) * strideH - padH + i;
                        if ((uint)ih >= (uint)H) continue;
                        var src = srcRow.Slice(r * g.Wo, g.Wo);
                        var dst = x.Slice((c * H + ih) * W, W);
                        if (strideW == 1) AddInPlace(dst.Slice(lo - padW + j, hi - lo), src[lo..hi]);
                        else for (int ow = lo; ow < hi; ow++) dst[ow * strideW - padW + j] += src[ow];
                    }
                }
    }

    /// <summary>dst += src, vectorised.</summary>
    private static void AddInPlace(Span<float> dst, ReadOnlySpan<float> src)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var s = MemoryMarshal.Cast<float, Vector<float>>(src);
            for (; i < d.Length; i++) d[i] += s[i];
            i *= Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] += src[i];
    }

    /// <summary>Validates sizes and returns Ho.</summary>
    private static int CheckShapes(int xLength, int colsLength, int C, int H, int W, int kh, int kw, int strideH,
        int strideW, int padH, int padW, string colsName)
    {
        if (C < 0 || H <= 0 || W <= 0 || kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0)
            throw new ArgumentOutOfRangeException(nameof(C), "Invalid im2col geometry.");
        int Ho = OutputSize(H, kh, strideH, padH), Wo = OutputSize(W, kw, strideW, padW);
        if (Ho <= 0 || Wo <= 0) throw new ArgumentException("Kernel larger than the padded input.");
        if (xLength < (long)C * H * W) throw new ArgumentException($"Image holds {xLength} elements, needs {(long)C * H * W}.");
        long need = (long)C * kh * kw * Ho * Wo;
        if (colsLength < need) throw new ArgumentException($"cols holds {colsLength} elements, needs {need}.", colsName);
        return Ho;
    }
}

/// <summary>Horizontal geometry shared by both directions: output width and valid output-column ranges per tap.</summary>
file readonly struct RowGeometry(int W, int kw, int strideW, int padW, int rows)
{
    public readonly int Wo = CpuIm2Col.OutputSize(W, kw, strideW, padW);
    public int RowLength => rows * Wo;

    /// <summary>Output columns [lo, hi) whose input column ow·sw − pw + j lies inside [0, W).</summary>
    public (int lo, int hi) ValidColumns(int j)
    {
        int lo = Math.Clamp(CeilDiv(padW - j, strideW), 0, Wo);
        int hi = Math.Min(Wo, FloorDiv(W - 1 + padW - j, strideW) + 1);
        return (lo, Math.Max(lo, hi));
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);
}

/// <summary>
/// im2col fused with GEMM B packing: hands the driver panels of the [C·kh·kw, Ho·Wo] matrix of image `batch`
/// (x + batch·imageStride) built straight from the image, so the unrolled matrix is never written out. With
/// <c>scales</c>, every row of channel c is multiplied by scales[batch·scaleStride + c] (modulation without a copy of x).
/// </summary>
internal sealed unsafe class Im2ColPacker : GemmBPacker
{
    private readonly float* _x, _scales;
    private readonly long _imageStride, _scaleStride;
    private readonly int _h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _wo;
    private readonly int[] _lo, _hi;

    public Im2ColPacker(float* x, long imageStride, int H, int W, int kh, int kw, int strideH, int strideW, int padH, int padW,
        float* scales = null, long scaleStride = 0)
    {
        _x = x;
        _imageStride = imageStride;
        _scales = scales;
        _scaleStride = scaleStride;
        (_h, _w, _kh, _kw, _sh, _sw, _ph, _pw) = (H, W, kh, kw, strideH, strideW, padH, padW);
        var g = new RowGeometry(W, kw, strideW, padW, 1);
        _wo = g.Wo;
        _lo = new int[kw];
        _hi = new int[kw];
        for (int j = 0; j < kw; j++) (_lo[j], _hi[j]) = g.ValidColumns(j);
    }

    public override void Pack(int batch, int k0, int kc, int n0, int nLen, int NR, float* dst) =>
        Im2ColPanels.Pack(new Rows(this, _x + batch * _imageStride, _scales == null ? null : _scales + batch * _scaleStride),
            _kh, _kw, _wo, k0, kc, n0, nLen, NR, dst);

    /// <summary>Rows of one image: clamped copies from the plane, then the channel's scale.</summary>
    private readonly struct Rows : IIm2ColRowWriter
    {
        private readonly Im2ColPacker _p;
        private readonly float* _img, _scales;

        public Rows(Im2ColPacker p, float* img, float* scales)
        {
            _p = p;
            _img = img;
            _scales = scales;
        }

        public void Write(int c, int i, int j, int oh, int ow, int width, float* d)
        {
            _p.PanelRow(_img + (long)c * _p._h * _p._w, i, _p._lo[j], _p._hi[j], j, oh, ow, width, d);
            if (_scales != null) CpuVectorOps.Scale(d, _scales[c], d, width);
        }
    }

    /// <summary>One k row of a panel: output pixels starting at (oh, ow), tap (i, j) of channel plane, width entries.</summary>
    private void PanelRow(float* plane, int i, int lo, int hi, int j, int oh, int ow, int width, float* d)
    {
        for (int done = 0; done < width; oh++, ow = 0)
        {
            int run = Math.Min(width - done, _wo - ow);
            float* o = d + done - ow; // o[q] is output column q of this output row
            int ih = oh * _sh - _ph + i;
            if ((uint)ih >= (uint)_h) new Span<float>(o + ow, run).Clear();
            else
            {
                float* src = plane + (long)ih * _w;
                int a = Math.Clamp(lo, ow, ow + run), b = Math.Clamp(hi, a, ow + run);
                new Span<float>(o + ow, a - ow).Clear();
                if (_sw == 1) new ReadOnlySpan<float>(src + a - _pw + j, b - a).CopyTo(new Span<float>(o + a, b - a));
                else for (int q = a; q < b; q++) o[q] = src[q * _sw - _pw + j];
                new Span<float>(o + b, ow + run - b).Clear();
            }
            done += run;
        }
    }
}

/// <summary>Writes one k row of an im2col panel: channel c, tap (i, j), width output pixels from (oh, ow), into d.</summary>
internal unsafe interface IIm2ColRowWriter
{
    void Write(int c, int i, int j, int oh, int ow, int width, float* d);
}

/// <summary>The panel walk both im2col packers share (GemmBPacker.Pack's layout): for each NR-column panel of
/// [n0, n0 + nLen), the rows k0 … k0 + kc − 1 as (channel, tap row, tap column), each written by the row writer and
/// zero-padded to NR.</summary>
internal static unsafe class Im2ColPanels
{
    public static void Pack<TRow>(in TRow row, int kh, int kw, int wo, int k0, int kc, int n0, int nLen, int NR, float* dst)
        where TRow : struct, IIm2ColRowWriter
    {
        for (int j0 = 0; j0 < nLen; j0 += NR, dst += (long)NR * kc)
        {
            int width = Math.Min(NR, nLen - j0), n = n0 + j0;
            int oh = n / wo, ow = n % wo;
            int j = k0 % kw, t = k0 / kw, i = t % kh, c = t / kh;
            float* d = dst;
            for (int k = 0; k < kc; k++, d += NR)
            {
                row.Write(c, i, j, oh, ow, width, d);
                if (width < NR) new Span<float>(d + width, NR - width).Clear();
                if (++j == kw) { j = 0; if (++i == kh) { i = 0; c++; } }
            }
        }
    }
}
