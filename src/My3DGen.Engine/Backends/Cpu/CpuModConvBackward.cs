// Backward of the modulated conv on the CPU: the data gradient (the conv's adjoint with the shared weight as one GEMM over
// the whole batch whose B panels are packed straight from graw, plus each sample's adapter) and the factor gradients (raw
// weight, A, B per adapter slot, via CpuConv2d's weight gradient); samples are visited in order so sums are deterministic.
using System.Buffers;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe partial class CpuModConv
{
    /// <summary>Runs of the raw-weight gradient on this thread (a test observes that gWeight = null costs nothing).</summary>
    [ThreadStatic] internal static int WeightGradientRuns;

    /// <summary>gxs (overwritten) = Wᵀ ⊛ graw + Σ A[idx]ᵀ ⊛ (LoraScale·B[idx]ᵀ·graw).</summary>
    public static void BackwardData(in ModConvGeometry g, float* graw, in ModConvPointers ptr, float* gxs)
    {
        int p = g.OH * g.OW, ik = g.I * g.Taps;
        long image = (long)g.I * g.H * g.W;
        float[]? gu = g.Rank > 0 ? ArrayPool<float>.Shared.Rent(g.Rank * p) : null;
        fixed (float* pgu = gu)
        {
            if (g.Up == 1 && g.K == 3 && CpuWinograd3x3.Pays(g.O, g.I, g.H, g.W, weightsTransformed: ptr.WeightKey != null))
                using (var u = Winograd(ptr.WeightKey, ptr.Weight, g.O, g.I, adjoint: true))
                    CpuWinograd3x3.Forward(g.N, g.H, g.W, graw, null, u.Value, gxs);
            else AdjointConv(g, g.N, g.O, ptr.Weight, ptr.WeightKey, graw, 0f, gxs);
            for (int n = 0; n < g.N && g.Rank > 0; n++)
            {
                HiddenGradient(g, graw, ptr, n, pgu);
                AdjointConv(g, 1, g.Rank, ptr.A + (long)ptr.Index[n] * g.Rank * ik, null, pgu, 1f, gxs + n * image);
            }
        }
        if (gu != null) ArrayPool<float>.Shared.Return(gu);
    }

    /// <summary>gx [batch, I, H, W] = beta·gx + the conv's adjoint applied to t [batch, rows, OH, OW] with w [rows, I, K, K],
    /// as one GEMM whose B panels come straight from t: for ×2 up layers the stride-2 3×3 conv with w read as [I, rows, 3, 3],
    /// for plain layers the stride-1 correlation (padding K/2) with w read as [I, rows, K, K] and flipped taps. The packed w
    /// is kept between calls when <paramref name="key"/> (w's storage) is given.</summary>
    private static void AdjointConv(in ModConvGeometry g, int batch, int rows, float* w, Storage? key, float* t, float beta, float* gx)
    {
        int s = g.Up, pad = g.Up == 2 ? 0 : g.K / 2;
        using var packed = TapMajor(key, w, rows, g.I, g.Taps, outputsAsRows: false, flip: g.Up == 1);
        long image = (long)rows * g.OH * g.OW;
        var packer = s == 1 ? PaddedIm2ColPacker.ForStride1(t, image, batch, rows, g.OH, g.OW, g.K, pad)
            : new Im2ColPacker(t, image, g.OH, g.OW, g.K, g.K, s, s, pad, pad);
        fixed (float* pp = packed.Value)
        {
            var prob = new GemmProblem
            {
                M = g.I, N = g.H * g.W, K = rows * g.Taps, Alpha = 1f, Beta = beta, Batch = batch, PackedA = pp,
                BPacker = packer,
                C = gx, Ldc = g.H * g.W, StrideC = (long)g.I * g.H * g.W,
            };
            SimdGemm.Run(in prob, parallel: true);
        }
        (packer as IDisposable)?.Dispose();
    }

    /// <summary>gu [Q, OH·OW] = LoraScale·B[idx[n]]ᵀ·graw[n] (the gradient reaching sample n's LoRA hidden).</summary>
    private static void HiddenGradient(in ModConvGeometry g, float* graw, in ModConvPointers ptr, int n, float* gu)
    {
        long p = (long)g.OH * g.OW;
        var prob = new GemmProblem
        {
            TransA = true, M = g.Rank, N = (int)p, K = g.O, Alpha = g.LoraScale, Beta = 0f, Batch = 1,
            A = ptr.B + (long)ptr.Index[n] * g.O * g.Rank, Lda = g.Rank, B = graw + n * g.O * p, Ldb = p,
            C = gu, Ldc = p,
        };
        SimdGemm.Run(in prob, parallel: true);
    }

    /// <summary>gW += Σₙ graw ⋆ xs; gA[idx[n]] += gu[n] ⋆ xs[n]; gB[idx[n]] += LoraScale·graw[n]·u[n]ᵀ (null outputs skipped,
    /// xs = s·x formed only when gW or gA needs it).</summary>
    public static void BackwardWeights(in ModConvGeometry g, float* graw, in ModConvPointers ptr, float* gw, float* ga, float* gb)
    {
        bool lora = g.Rank > 0 && (ga != null || gb != null);
        if (gw == null && !lora) return;
        int p = g.OH * g.OW, ik = g.I * g.Taps;
        long image = (long)g.I * g.H * g.W;
        float[]? xs = gw != null || ga != null && g.Rank > 0 ? ArrayPool<float>.Shared.Rent(checked((int)g.InputLength)) : null;
        float[]? gu = ga != null && g.Rank > 0 ? ArrayPool<float>.Shared.Rent(g.Rank * p) : null;
        // The ×2 up layer's weight gradient comes out as [I, rows, 3, 3] and is added transposed.
        float[]? scratch = g.Up == 2 ? ArrayPool<float>.Shared.Rent(checked((int)(gw != null ? g.WeightLength : (long)g.Rank * ik))) : null;
        fixed (float* pxs = xs, pgu = gu, ps = scratch)
        {
            if (pxs != null) Modulate(g, ptr.X, ptr.Styles, pxs);
            if (gw != null)
            {
                WeightGradientRuns++;
                WeightGradient(g, g.N, g.O, graw, pxs, gw, ps);
            }
            for (int n = 0; n < g.N && lora; n++)
            {
                long slot = (long)ptr.Index[n] * g.Rank;
                if (ga != null)
                {
                    HiddenGradient(g, graw, ptr, n, pgu);
                    WeightGradient(g, 1, g.Rank, pgu, pxs + n * image, ga + slot * ik, ps);
                }
                if (gb == null) continue;
                var prob = new GemmProblem
                {
                    TransB = true, M = g.O, N = g.Rank, K = p, Alpha = g.LoraScale, Beta = 1f, Batch = 1,
                    A = graw + (long)n * g.O * p, Lda = p, B = ptr.Hidden + (long)n * g.Rank * p, Ldb = p,
                    C = gb + slot * g.O, Ldc = g.Rank,
                };
                SimdGemm.Run(in prob, parallel: true);
            }
        }
        if (xs != null) ArrayPool<float>.Shared.Return(xs);
        if (gu != null) ArrayPool<float>.Shared.Return(gu);
        if (scratch != null) ArrayPool<float>.Shared.Return(scratch);
    }

    /// <summary>gw [rows, I, K, K] += Σ over batch of gy [batch, rows, OH, OW] correlated with xs [batch, I, H, W] (the
    /// conv weight gradient, by Winograd where CpuWinograd3x3.Pays; for ×2 up layers that of the stride-2 conv from
    /// t-space, computed into scratch and added transposed).</summary>
    private static void WeightGradient(in ModConvGeometry g, int batch, int rows, float* gy, float* xs, float* gw, float* scratch)
    {
        long wlen = (long)rows * g.I * g.Taps;
        if (g.Up == 1 && g.K == 3 && CpuWinograd3x3.Pays(g.I, rows, g.H, g.W))
        {
            CpuWinograd3x3.WeightGradient(batch, g.I, rows, g.H, g.W, xs, null, gy, gw);
            return;
        }
        if (g.Up == 1)
        {
            var geo = new ConvGeometry(batch, g.I, g.H, g.W, rows, g.K, 1, g.K / 2);
            CpuConv2d.Conv2dBackwardWeight(geo, new ReadOnlySpan<float>(gy, (int)geo.OutputLength),
                new ReadOnlySpan<float>(xs, (int)geo.InputLength), new Span<float>(gw, (int)wlen), accumulate: true);
            return;
        }
        var up = new ConvGeometry(batch, rows, g.OH, g.OW, g.I, 3, stride: 2, pad: 0);
        CpuConv2d.Conv2dBackwardWeight(up, new ReadOnlySpan<float>(xs, (int)up.OutputLength),
            new ReadOnlySpan<float>(gy, (int)up.InputLength), new Span<float>(scratch, (int)wlen));
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < g.I; i++)
            {
                float* dst = gw + ((long)r * g.I + i) * 9, src = scratch + ((long)i * rows + r) * 9;
                for (int t = 0; t < 9; t++) dst[t] += src[t];
            }
    }
}
