// IlgpuBackend: 2-D convolution as im2col + GEMM per sample and group chunk (groups are the GEMM batch). A 1×1,
// stride-1, unpadded convolution skips im2col and multiplies the input directly. Backward input is
// GEMM(Wᵀ, gy) then a col2im gather; backward weight accumulates GEMM(gy, colsᵀ) over samples.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void Conv2dForward(in ConvGeometry g, Storage x, Storage w, Storage? bias, Storage y)
    {
        var p = Checked(g);
        var xs = Own(x, nameof(x)); var ws = Own(w, nameof(w)); var ys = Own(y, nameof(y));
        CheckConv(p, xs, ws, ys, "y");
        var bs = bias == null ? null : Own(bias, nameof(bias));
        if (bs != null) Need(bs, 0, p.O, nameof(bias));
        ForEachChunk(p, (n, ch, c, cols) =>
        {
            var xn = xs.View.SubView(ch.X, ch.Chunk.Geometry.InputLength);
            if (cols != null) _kernels.Im2Col.Value(_kernels.Linear((long)c.ColRows * c.ColCols), xn, cols.View, c);
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.ColCols;
            var gp = new GemmParams
            {
                M = c.OPerGroup, N = ohw, K = kk, Alpha = 1f, Beta = 0f, Batch = c.Groups,
                Lda = kk, StrideA = c.OPerGroup * kk, Ldb = ohw, StrideB = kk * ohw, Ldc = ohw, StrideC = c.OPerGroup * ohw,
            };
            RunGemm(ws.View.SubView(ch.W, c.WeightLength), cols?.View ?? xn, ys.View.SubView(ch.Y, c.OutputLength), gp);
        });
        if (bs != null)
        {
            int total = DeviceLimits.CheckedCount(p.OutputLength, "conv2d bias");
            _kernels.AddChannelBias.Value(_kernels.Linear(total), ys.View, bs.View, p.O, p.ColCols, total);
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in ConvGeometry g, Storage gy, Storage w, Storage gx, bool accumulate)
    {
        gx.MarkWritten();
        var p = Checked(g);
        var gys = Own(gy, nameof(gy)); var ws = Own(w, nameof(w)); var gxs = Own(gx, nameof(gx));
        CheckConv(p, gxs, ws, gys, "gy");
        ForEachChunk(p, (n, ch, c, cols) =>
        {
            // cols_g [Cg·KK, OHW] = W_gᵀ [Cg·KK, Og] · gy_g [Og, OHW]; pointwise writes gx directly.
            var gxn = gxs.View.SubView(ch.X, c.InputLength);
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.ColCols;
            var gp = new GemmParams
            {
                TransA = 1, M = kk, N = ohw, K = c.OPerGroup, Alpha = 1f, Batch = c.Groups,
                Lda = kk, StrideA = c.OPerGroup * kk, Ldb = ohw, StrideB = c.OPerGroup * ohw, Ldc = ohw, StrideC = kk * ohw,
                Beta = cols == null && accumulate ? 1f : 0f,
            };
            RunGemm(ws.View.SubView(ch.W, c.WeightLength), gys.View.SubView(ch.Y, c.OutputLength), cols?.View ?? gxn, gp);
            if (cols != null)
                _kernels.Col2Im.Value(_kernels.Linear(c.InputLength), cols.View, gxn, c, accumulate ? 1 : 0);
        });
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in ConvGeometry g, Storage gy, Storage x, Storage gw, bool accumulate)
    {
        gw.MarkWritten();
        var p = Checked(g);
        var gys = Own(gy, nameof(gy)); var xs = Own(x, nameof(x)); var gws = Own(gw, nameof(gw));
        CheckConv(p, xs, gws, gys, "gy");
        if (p.N == 0)
        {
            if (!accumulate) Fill(gw, 0, p.WeightLength, 0f);
            return;
        }
        ForEachChunk(p, (n, ch, c, cols) =>
        {
            var xn = xs.View.SubView(ch.X, c.InputLength);
            if (cols != null) _kernels.Im2Col.Value(_kernels.Linear((long)c.ColRows * c.ColCols), xn, cols.View, c);
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.ColCols;
            // gw_g [Og, Cg·KK] (+)= gy_g [Og, OHW] · cols_gᵀ [OHW, Cg·KK]
            var gp = new GemmParams
            {
                TransB = 1, M = c.OPerGroup, N = kk, K = ohw, Alpha = 1f, Batch = c.Groups,
                Beta = n == 0 && !accumulate ? 0f : 1f,
                Lda = ohw, StrideA = c.OPerGroup * ohw, Ldb = ohw, StrideB = kk * ohw, Ldc = kk, StrideC = c.OPerGroup * kk,
            };
            RunGemm(gys.View.SubView(ch.Y, c.OutputLength), cols?.View ?? xn, gws.View.SubView(ch.W, c.WeightLength), gp);
        });
    }

    /// <summary>Most elements one group chunk of a convolution may index (lowered by tests to exercise the split).</summary>
    internal long ConvChunkElements { get; set; } = DeviceLimits.MaxLinearCount;

    /// <summary>Element offsets of one sample's chunk: its input channels, filters and output channels.</summary>
    readonly record struct ChunkAt(ConvGroupChunk Chunk, long X, long W, long Y);

    /// <summary>Runs <paramref name="body"/>(sample, offsets, chunk geometry, im2col buffer or null when pointwise) for every
    /// sample and group chunk (<see cref="ConvGroupChunks"/>), so every kernel's int32 index math spans one chunk.</summary>
    void ForEachChunk(in ConvGeometry p, Action<int, ChunkAt, ConvGeometry, IlgpuStorage?> body)
    {
        var chunks = ConvGroupChunks.Plan(p, ConvChunkElements);
        long chw = (long)p.C * p.H * p.W, ochw = (long)p.O * p.OH * p.OW;
        var cols = p.IsPointwise ? null : Temp(chunks.Max(c => (long)c.Geometry.ColRows * c.Geometry.ColCols));
        try
        {
            for (int n = 0; n < p.N; n++)
                foreach (var ch in chunks)
                    body(n, new ChunkAt(ch, n * chw + ch.InputOffset(p), ch.WeightOffset(p), n * ochw + ch.OutputOffset(p)), ch.Geometry, cols);
        }
        finally { cols?.Release(); }
    }

    /// <summary>Throws unless the geometry describes a non-empty convolution.</summary>
    static ConvGeometry Checked(in ConvGeometry g)
    {
        if (g.Groups <= 0 || g.C % g.Groups != 0 || g.O % g.Groups != 0)
            throw new ArgumentException($"channels C={g.C}, O={g.O} are not divisible by groups={g.Groups}", nameof(g));
        if (g.StrideH <= 0 || g.StrideW <= 0 || g.KH <= 0 || g.KW <= 0 || g.PadH < 0 || g.PadW < 0)
            throw new ArgumentException("kernel, stride and padding must be positive", nameof(g));
        if (g.OH <= 0 || g.OW <= 0) throw new ArgumentException($"empty output {g.OH}×{g.OW}", nameof(g));
        return g;
    }

    static void CheckConv(in ConvGeometry p, Storage x, Storage w, Storage y, string yName)
    {
        Need(x, 0, (long)p.N * p.C * p.H * p.W, "x");
        Need(w, 0, (long)p.O * p.CPerGroup * p.KH * p.KW, "w");
        Need(y, 0, (long)p.N * p.O * p.OH * p.OW, yName);
    }
}
