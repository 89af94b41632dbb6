// Forward of the modulated conv on the CPU (ModConvGeometry). Plain layers: one GEMM over the batch with the shared raw
// weight packed once and the B panels built by a modulating im2col packer (s·x never stored); the LoRA hidden comes out
// of the same GEMM as side rows on those panels, and the low-rank term plus the epilogue finish each strip in cache.
// ×2 up layers: the stride-2 transposed conv is the conv-adjoint machinery (Wᵀ·xs then col2im) on s·x.
using System.Buffers;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

/// <summary>Raw pointers of one modulated-conv call (null where the input is absent).</summary>
internal unsafe struct ModConvPointers
{
    public float* X, Styles, Weight, A, B, Hidden, Demod, Bias, Noise;
    public int* Index;
    public float Strength;
    /// <summary>The storage behind Weight: its packed and transformed forms are kept between calls (DerivedCache).</summary>
    public Storage? WeightKey;
}

internal static unsafe partial class CpuModConv
{
    /// <summary>raw = W ⊛ (s·x) + LoraScale·B[idx]·u, u = A[idx] ⊛ (s·x) written to Hidden; y = epilogue(raw) when given.</summary>
    public static void Forward(in ModConvGeometry g, in ModConvPointers ptr, float* raw, float* y)
    {
        if (g.Up == 2) ForwardUp(g, ptr, raw);
        else ForwardPlain(g, ptr, raw, y);
    }

    private static void ForwardPlain(in ModConvGeometry g, in ModConvPointers ptr, float* raw, float* y)
    {
        int ik = g.I * g.Taps, p = g.H * g.W;
        float* c = raw != null ? raw : y;
        if (c == null)
        {
            LoraHidden(g, ptr);
            return;
        }
        if (g.K == 3 && CpuWinograd3x3.Pays(g.I, g.O, g.H, g.W, weightsTransformed: ptr.WeightKey != null))
        {
            ForwardPlainWinograd(g, ptr, c, y);
            return;
        }
        // The shared W packed (kept while the weight is unchanged); with LoRA, each used adapter's A packed once as the
        // GEMM's side rows.
        long aSize = g.Rank > 0 ? SimdGemm.PackedASize(g.Rank, ik) : 0;
        using var packedW = GemmRows(ptr.WeightKey, ptr.Weight, g.O, ik);
        float[]? packed = g.Rank > 0 ? ArrayPool<float>.Shared.Rent(checked((int)(aSize * g.Adapters))) : null;
        fixed (float* pp = packedW.Value, pa = packed)
        {
            LoraHiddenRows? side = null;
            if (g.Rank > 0)
            {
                var perSample = new nint[g.N];
                var done = new bool[g.Adapters];
                for (int n = 0; n < g.N; n++)
                {
                    int a = ptr.Index[n];
                    float* dst = pa + a * aSize;
                    if (!done[a]) SimdGemm.PrepackA(false, g.Rank, ik, 1f, ptr.A + (long)a * g.Rank * ik, ik, dst);
                    done[a] = true;
                    perSample[n] = (nint)dst;
                }
                side = new LoraHiddenRows { M = g.Rank, PackedA = perSample, Hidden = ptr.Hidden, Pixels = p };
            }
            var packer = ModulatingPacker(g, g.N, ptr.X, ptr.Styles);
            var prob = new GemmProblem
            {
                M = g.O, N = p, K = ik, Alpha = 1f, Beta = 0f, Batch = g.N,
                A = ptr.Weight, Lda = ik, PackedA = pp,
                BPacker = packer,
                C = c, Ldc = p, StrideC = (long)g.O * p, Side = side,
                Epilogue = g.Rank == 0 && y == null ? null : Finish(g, ptr, y),
            };
            SimdGemm.Run(in prob, parallel: true);
            (packer as IDisposable)?.Dispose();
        }
        if (packed != null) ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Only the LoRA hidden u[n] = A[idx[n]] ⊛ (s·x)[n]: its own small GEMM per sample.</summary>
    private static void LoraHidden(in ModConvGeometry g, in ModConvPointers ptr)
    {
        int ik = g.I * g.Taps, p = g.H * g.W;
        for (int n = 0; n < g.N && g.Rank > 0; n++)
        {
            var packer = ModulatingPacker(g, 1, ptr.X + n * (long)g.I * p, ptr.Styles + (long)n * g.I);
            var h = new GemmProblem
            {
                M = g.Rank, N = p, K = ik, Alpha = 1f, Beta = 0f, Batch = 1,
                A = ptr.A + (long)ptr.Index[n] * g.Rank * ik, Lda = ik,
                BPacker = packer,
                C = ptr.Hidden + (long)n * g.Rank * p, Ldc = p,
            };
            SimdGemm.Run(in h, parallel: true);
            (packer as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The plain 3×3 layer where Winograd F(4×4,3×3) beats the im2col GEMM (CpuWinograd3x3.Pays): the shared-weight conv
    /// of s·x into c (raw, or y in place), the LoRA hidden by its own GEMM, then the same fused finish as the GEMM route
    /// (LoRA up-projection and epilogue) over rows of c.
    /// </summary>
    private static void ForwardPlainWinograd(in ModConvGeometry g, in ModConvPointers ptr, float* c, float* y)
    {
        using (var u = Winograd(ptr.WeightKey, ptr.Weight, g.I, g.O, adjoint: false))
            CpuWinograd3x3.Forward(g.N, g.H, g.W, ptr.X, ptr.Styles, u.Value, c);
        if (g.Rank == 0 && y == null) return;
        LoraHidden(g, ptr);
        var finish = Finish(g, ptr, y);
        int p = g.H * g.W, o = g.O;
        nint pc = (nint)c, ph = (nint)ptr.Hidden;
        int q = g.Rank;
        CpuParallel.For((long)g.N * o, Math.Max(1, (1 << 15) / p), (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                int n = (int)(r / o), row = (int)(r % o);
                finish.Apply(n, row, 1, 0, p, (float*)pc + r * p, p, q > 0 ? (float*)ph + (long)n * q * p : null, p);
            }
        });
    }

    /// <summary>The plain layer's finish of raw rows (LoRA up-projection, then the epilogue into y when given).</summary>
    private static FusedModConvEpilogue Finish(in ModConvGeometry g, in ModConvPointers ptr, float* y) => new()
    {
        G = g, Row = new ModConvEpilogueRow(g, ptr.Strength), LoraB = ptr.B, Index = ptr.Index,
        Y = y, Demod = ptr.Demod, Bias = g.HasBias ? ptr.Bias : null,
        Noise = g.Noise == ModConvNoise.None ? null : ptr.Noise,
    };

    /// <summary>B panels of the stride-1, padding-K/2 im2col of the first `batches` images of x, row (i, t) scaled by s[n, i]
    /// (the caller disposes it when IDisposable).</summary>
    private static GemmBPacker ModulatingPacker(in ModConvGeometry g, int batches, float* x, float* s) =>
        PaddedIm2ColPacker.ForStride1(x, (long)g.I * g.H * g.W, batches, g.I, g.H, g.W, g.K, g.K / 2, s, g.I);

    /// <summary>The ×2 up layer: raw [N,O,2H+1,2W+1] = stride-2 transposed 3×3 conv of xs with W, + LoraScale·B·u.</summary>
    private static void ForwardUp(in ModConvGeometry g, in ModConvPointers ptr, float* raw)
    {
        long image = (long)g.I * g.H * g.W, p = (long)g.OH * g.OW;
        var xs = ArrayPool<float>.Shared.Rent(checked((int)g.InputLength));
        fixed (float* pxs = xs)
        {
            Modulate(g, ptr.X, ptr.Styles, pxs);
            if (raw != null) TransposedConv(g, g.N, g.O, ptr.Weight, ptr.WeightKey, pxs, raw);
            for (int n = 0; n < g.N && g.Rank > 0; n++)
            {
                float* u = ptr.Hidden + n * g.Rank * p;
                TransposedConv(g, 1, g.Rank, ptr.A + (long)ptr.Index[n] * g.Rank * g.I * 9, null, pxs + n * image, u);
                if (raw == null) continue;
                var up = new GemmProblem
                {
                    M = g.O, N = (int)p, K = g.Rank, Alpha = g.LoraScale, Beta = 1f, Batch = 1,
                    A = ptr.B + (long)ptr.Index[n] * g.O * g.Rank, Lda = g.Rank, B = u, Ldb = p,
                    C = raw + n * g.O * p, Ldc = p,
                };
                SimdGemm.Run(in up, parallel: true);
            }
        }
        ArrayPool<float>.Shared.Return(xs);
    }

    /// <summary>t [batch, rows, 2H+1, 2W+1] = stride-2 transposed 3×3 conv of xs [batch, I, H, W] with w [rows, I, 3, 3]:
    /// the adjoint of the stride-2 conv from t-space to x-space, whose column GEMM reads w tap-major (packed by gather; kept
    /// between calls when <paramref name="key"/>, w's storage, is given).</summary>
    private static void TransposedConv(in ModConvGeometry g, int batch, int rows, float* w, Storage? key, float* xs, float* t)
    {
        var geo = new ConvGeometry(batch, rows, g.OH, g.OW, g.I, 3, stride: 2, pad: 0);
        using var packed = TapMajor(key, w, rows, g.I, 9, outputsAsRows: true);
        fixed (float* pp = packed.Value) CpuConv2d.Conv2dBackwardInputPacked(geo, xs, pp, t, accumulate: false);
    }

    /// <summary>
    /// GEMM-packs a weight w [rows, cols, K, K] for the GEMMs that read it tap-major (pooled array, return it):
    /// outputsAsRows: op(A) [(r, t), c] = w[r, c, t] (the ×2 up layer's transposed-conv columns, M = rows·K², K = cols);
    /// else op(A) [c, (r, t)] = w[r, c, flip ? K²−1−t : t] (the adjoint conv of a data gradient, M = cols, K = rows·K²;
    /// flipped for the stride-1 conv's adjoint, as a correlation).
    /// </summary>
    private static float[] PackTapMajor(float* w, int rows, int cols, int taps, bool outputsAsRows, bool flip = false)
    {
        int m = outputsAsRows ? rows * taps : cols, k = outputsAsRows ? cols : rows * taps;
        var byTap = new long[rows * taps];
        var byChannel = new long[cols];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < taps; t++) byTap[r * taps + t] = (long)r * cols * taps + (flip ? taps - 1 - t : t);
        for (int c = 0; c < cols; c++) byChannel[c] = (long)c * taps;
        var packed = ArrayPool<float>.Shared.Rent(checked((int)SimdGemm.PackedASize(m, k)));
        fixed (float* pp = packed)
            SimdGemm.PrepackAGather(m, k, w, outputsAsRows ? byTap : byChannel, outputsAsRows ? byChannel : byTap, pp);
        return packed;
    }

    /// <summary>xs[n, i, ·] = s[n, i]·x[n, i, ·] into a buffer of InputLength floats.</summary>
    private static void Modulate(in ModConvGeometry g, float* x, float* s, float* xs)
    {
        int plane = g.H * g.W;
        nint px = (nint)x, ps = (nint)s, pxs = (nint)xs;
        CpuParallel.For((long)g.N * g.I, Math.Max(1, (1 << 15) / plane), (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                CpuVectorOps.Scale((float*)px + r * plane, ((float*)ps)[r], (float*)pxs + r * plane, plane);
            }
        });
    }
}
