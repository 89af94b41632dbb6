// im2col / col2im for one image: unrolls the kh×kw receptive fields of x[C,H,W] into a [C·kh·kw, Ho·Wo] matrix so a
// convolution becomes a GEMM, and scatters such a matrix back (+=). Works on ranges of output rows so the
// convolution can stream through an image in cache-sized chunks; stride-1 rows are copied/added as whole runs.
using System.Numerics;
using System.Runtime.InteropServices;

namespace My3DGen.Engine.Backends.Cpu;

public static class CpuIm2Col
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

    /// <summary>Horizontal geometry shared by both directions: output width and valid output-column ranges per tap.</summary>
    private readonly struct RowGeometry(int W, int kw, int strideW, int padW, int rows)
    {
        public readonly int Wo = OutputSize(W, kw, strideW, padW);
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
}
