// IlgpuBackend: 2-D convolution as im2col + GEMM per sample (groups are the GEMM batch). A 1×1,
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
        int kk = p.CPerGroup * p.KH * p.KW, ohw = p.ColCols, chw = p.C * p.H * p.W;
        var cols = p.IsPointwise ? null : Temp((long)p.ColRows * ohw);
        try
        {
            for (int n = 0; n < p.N; n++)
            {
                int bOffset = 0;
                if (cols == null) bOffset = n * chw;
                else _kernels.Im2Col.Value(_kernels.Linear((long)p.ColRows * ohw), xs.View.SubView((long)n * chw, chw), cols.View, p);
                var gp = new GemmParams
                {
                    M = p.OPerGroup, N = ohw, K = kk, Alpha = 1f, Beta = 0f, Batch = p.Groups,
                    OffsetA = 0, Lda = kk, StrideA = p.OPerGroup * kk,
                    OffsetB = bOffset, Ldb = ohw, StrideB = kk * ohw,
                    OffsetC = n * p.O * ohw, Ldc = ohw, StrideC = p.OPerGroup * ohw,
                };
                RunGemm(ws.View, (cols ?? xs).View, ys.View, gp);
            }
        }
        finally { cols?.Release(); }
        if (bs != null)
        {
            int total = p.N * p.O * ohw;
            _kernels.AddChannelBias.Value(_kernels.Linear(total), ys.View, bs.View, p.O, ohw, total);
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in ConvGeometry g, Storage gy, Storage w, Storage gx, bool accumulate)
    {
        var p = Checked(g);
        var gys = Own(gy, nameof(gy)); var ws = Own(w, nameof(w)); var gxs = Own(gx, nameof(gx));
        CheckConv(p, gxs, ws, gys, "gy");
        int kk = p.CPerGroup * p.KH * p.KW, ohw = p.ColCols, chw = p.C * p.H * p.W;
        var cols = p.IsPointwise ? null : Temp((long)p.ColRows * ohw);
        try
        {
            for (int n = 0; n < p.N; n++)
            {
                // cols_g [Cg·KK, OHW] = W_gᵀ [Cg·KK, Og] · gy_g [Og, OHW]; pointwise writes gx directly.
                var gp = new GemmParams
                {
                    TransA = 1, M = kk, N = ohw, K = p.OPerGroup, Alpha = 1f, Batch = p.Groups,
                    OffsetA = 0, Lda = kk, StrideA = p.OPerGroup * kk,
                    OffsetB = n * p.O * ohw, Ldb = ohw, StrideB = p.OPerGroup * ohw,
                    OffsetC = cols == null ? n * chw : 0, Ldc = ohw, StrideC = kk * ohw,
                    Beta = cols == null && accumulate ? 1f : 0f,
                };
                RunGemm(ws.View, gys.View, (cols ?? gxs).View, gp);
                if (cols != null)
                    _kernels.Col2Im.Value(_kernels.Linear(chw), cols.View, gxs.View.SubView((long)n * chw, chw), p, accumulate ? 1 : 0);
            }
        }
        finally { cols?.Release(); }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in ConvGeometry g, Storage gy, Storage x, Storage gw, bool accumulate)
    {
        var p = Checked(g);
        var gys = Own(gy, nameof(gy)); var xs = Own(x, nameof(x)); var gws = Own(gw, nameof(gw));
        CheckConv(p, xs, gws, gys, "gy");
        int kk = p.CPerGroup * p.KH * p.KW, ohw = p.ColCols, chw = p.C * p.H * p.W;
        if (p.N == 0)
        {
            if (!accumulate) Fill(gw, 0, (long)p.O * kk, 0f);
            return;
        }
        var cols = p.IsPointwise ? null : Temp((long)p.ColRows * ohw);
        try
        {
            for (int n = 0; n < p.N; n++)
            {
                int bOffset = 0;
                if (cols == null) bOffset = n * chw;
                else _kernels.Im2Col.Value(_kernels.Linear((long)p.ColRows * ohw), xs.View.SubView((long)n * chw, chw), cols.View, p);
                // gw_g [Og, Cg·KK] (+)= gy_g [Og, OHW] · cols_gᵀ [OHW, Cg·KK]
                var gp = new GemmParams
                {
                    TransB = 1, M = p.OPerGroup, N = kk, K = ohw, Alpha = 1f, Batch = p.Groups,
                    Beta = n == 0 && !accumulate ? 0f : 1f,
                    OffsetA = n * p.O * ohw, Lda = ohw, StrideA = p.OPerGroup * ohw,
                    OffsetB = bOffset, Ldb = ohw, StrideB = kk * ohw,
                    OffsetC = 0, Ldc = kk, StrideC = p.OPerGroup * kk,
                };
                RunGemm(gys.View, (cols ?? xs).View, gws.View, gp);
            }
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
