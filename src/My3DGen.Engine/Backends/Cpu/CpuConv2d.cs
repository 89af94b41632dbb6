// 2-D convolution on the CPU (NCHW, grouped, strided, zero-padded) as im2col + SimdGemm. Forward: one GEMM per group
// batched over images, with im2col fused into the B packing (no unrolled matrix). Input gradient (Wᵀ·gy then col2im)
// and weight gradient (gy·colsᵀ) stream each image in chunks of output rows; chunks run in parallel (serial GEMMs)
// when there are enough, else one at a time with the GEMM parallel. 1×1 stride-1 unpadded convolutions skip im2col.
using My3DGen.Kernels;
using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class CpuConv2d
{
    /// <summary>Target number of output pixels (GEMM columns) per chunk of an image.</summary>
    internal const int ChunkColumns = 512;

    /// <summary>y = conv(x, w) + bias (bias may be empty). y is overwritten.</summary>
    public static void Conv2dForward(in ConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        Check(g, x.Length, g.InputLength, nameof(x), w.Length, y.Length, g.OutputLength, nameof(y));
        if (!bias.IsEmpty && bias.Length < g.O) throw new ArgumentException($"bias holds {bias.Length} elements, needs {g.O}.", nameof(bias));
        int cg = g.C / g.Groups, og = g.O / g.Groups, k = cg * g.KH * g.KW, P = g.OH * g.OW;
        long packedPerGroup = PackedWeightsStride(g, transposed: false), image = (long)g.C * g.H * g.W;
        var packed = ArrayPool<float>.Shared.Rent(checked((int)(packedPerGroup * g.Groups)));
        fixed (float* px = x, pw = w, pb = bias, py = y, pp = packed)
        {
            PackWeights(g, pw, transposed: false, pp);
            // Per group: one GEMM batched over images sharing the packed W_g; im2col happens inside B packing.
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* xg = px + (long)grp * cg * g.H * g.W;
                var p = new GemmProblem
                {
                    M = og, N = P, K = k, Alpha = 1f, Beta = 0f, Batch = g.N,
                    A = pw + (long)grp * og * k, Lda = k, PackedA = pp + grp * packedPerGroup,
                    B = xg, Ldb = P, StrideB = image,
                    C = py + (long)grp * og * P, Ldc = P, StrideC = (long)g.O * P,
                    BPacker = g.IsPointwise ? null
                        : new Im2ColPacker(xg, image, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW),
                };
                SimdGemm.Run(in p, parallel: true);
            }
            if (!bias.IsEmpty) AddBias(py, pb, g.N, g.O, P);
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>y[n, o, :] += bias[o].</summary>
    private static void AddBias(float* y, float* bias, int N, int O, int P)
    {
        var opts = new ParallelOptions { MaxDegreeOfParallelism = (long)N * O * P >= 1 << 20 ? SimdGemm.MaxThreads : 1 };
        nint py = (nint)y, pb = (nint)bias;
        Parallel.For(0, N * O, opts, row =>
        {
            var r = new Span<float>((float*)py + (long)row * P, P);
            float b = ((float*)pb)[row % O];
            var rv = MemoryMarshal.Cast<float, Vector<float>>(r);
            var bv = new Vector<float>(b);
            for (int i = 0; i < rv.Length; i++) rv[i] += bv;
            for (int i = rv.Length * Vector<float>.Count; i < r.Length; i++) r[i] += b;
        });
    }

    /// <summary>gx (+)= convᵀ(gy, w): the gradient of the forward pass with respect to x.</summary>
    public static void Conv2dBackwardInput(in ConvGeometry g, ReadOnlySpan<float> gy, ReadOnlySpan<float> w,
        Span<float> gx, bool accumulate = false)
    {
        Check(g, gy.Length, g.OutputLength, nameof(gy), w.Length, gx.Length, g.InputLength, nameof(gx));
        if (!accumulate && !g.IsPointwise) gx[..(int)g.InputLength].Clear();
        long packedPerGroup = PackedWeightsStride(g, transposed: true);
        var packed = ArrayPool<float>.Shared.Rent(checked((int)(packedPerGroup * g.Groups)));
        fixed (float* pgy = gy, pw = w, pgx = gx, pp = packed)
        {
            PackWeights(g, pw, transposed: true, pp);
            BackwardInput(g, pgy, pw, pp, packedPerGroup, pgx, accumulate);
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>
    /// gx (+)= convᵀ(gy) for groups = 1 with the column GEMM's op(A) = Wᵀ [C·KH·KW, O] given already packed
    /// (<see cref="SimdGemm.PrepackAGather"/>, <see cref="SimdGemm.PackedASize"/>(C·KH·KW, O) floats): for callers whose
    /// weight is not stored as [O, C, KH, KW] (the modulated conv's ×2 up reads its [O', I', 3, 3] weight transposed).
    /// </summary>
    internal static void Conv2dBackwardInputPacked(in ConvGeometry g, float* gy, float* packedWT, float* gx, bool accumulate)
    {
        g.Validate();
        if (g.Groups != 1) throw new ArgumentException("A packed transposed weight needs groups = 1.");
        if (Math.Max(g.InputLength, g.OutputLength) > int.MaxValue) throw new ArgumentException("Tensor too large for one call.");
        if (!accumulate && !g.IsPointwise) new Span<float>(gx, (int)g.InputLength).Clear();
        BackwardInput(g, gy, null, packedWT, 0, gx, accumulate);
    }

    /// <summary>The chunked Wᵀ·gy + col2im of the input gradient; w may be null when the packed weights are given.</summary>
    private static void BackwardInput(in ConvGeometry g, float* gy, float* w, float* packed, long packedStride, float* gx,
        bool accumulate)
    {
        var job = new ConvJob(g, gx, w, gy) { Accumulate = accumulate, PackedWeights = packed, PackedStride = packedStride };
        if (g.IsPointwise) job.ForEach(job.Items, 0, 0, job.BackwardInput, null);
        // col2im of neighbouring chunks overlaps in the kernel halo; chunks two apart never do, so even and odd
        // chunks run as two race-free phases.
        else for (int phase = 0; phase < 2; phase++)
        {
            int perImage = (job.Chunks - phase + 1) / 2;
            int ph = phase;
            job.ForEach(g.N * g.Groups * perImage, job.ColsFloats, 0,
                (i, s) => job.BackwardInput(i / perImage * job.Chunks + 2 * (i % perImage) + ph, s), null);
        }
    }

    /// <summary>gw (+)= Σₙ gy·colsᵀ: the gradient of the forward pass with respect to w.</summary>
    public static void Conv2dBackwardWeight(in ConvGeometry g, ReadOnlySpan<float> gy, ReadOnlySpan<float> x,
        Span<float> gw, bool accumulate = false)
    {
        Check(g, gy.Length, g.OutputLength, nameof(gy), gw.Length, x.Length, g.InputLength, nameof(x));
        if (!accumulate) gw[..(int)g.WeightLength].Clear();
        fixed (float* pgy = gy, px = x, pgw = gw)
        {
            var job = new ConvJob(g, px, pgw, pgy);
            // Parallel chunks each sum into a private copy of gw, reduced in worker order at the end.
            job.ForEach(job.Items, job.ColsFloats, job.ParallelItems ? g.WeightLength : 0, job.BackwardWeight,
                job.ReducePartial);
        }
    }

    /// <summary>Floats per group of GEMM-packed weights: W_g [O/G, K] for forward, W_gᵀ [K, O/G] for the input gradient.</summary>
    private static long PackedWeightsStride(in ConvGeometry g, bool transposed)
    {
        int og = g.O / g.Groups, k = g.C / g.Groups * g.KH * g.KW;
        return transposed ? SimdGemm.PackedASize(k, og) : SimdGemm.PackedASize(og, k);
    }

    /// <summary>Packs every group's weight matrix once so the GEMMs that reuse it skip packing A.</summary>
    private static void PackWeights(in ConvGeometry g, float* w, bool transposed, float* dst)
    {
        int og = g.O / g.Groups, k = g.C / g.Groups * g.KH * g.KW;
        long stride = PackedWeightsStride(g, transposed);
        for (int grp = 0; grp < g.Groups; grp++)
        {
            float* wg = w + (long)grp * og * k;
            if (transposed) SimdGemm.PrepackA(true, k, og, 1f, wg, k, dst + grp * stride);
            else SimdGemm.PrepackA(false, og, k, 1f, wg, k, dst + grp * stride);
        }
    }

    private static void Check(in ConvGeometry g, int aLength, long aNeed, string aName, int wLength, int outLength,
        long outNeed, string outName)
    {
        g.Validate();
        if (aLength < aNeed) throw new ArgumentException($"{aName} holds {aLength} elements, needs {aNeed}.", aName);
        if (wLength < g.WeightLength) throw new ArgumentException($"Weights hold {wLength} elements, need {g.WeightLength}.");
        if (outLength < outNeed) throw new ArgumentException($"{outName} holds {outLength} elements, needs {outNeed}.", outName);
        if (Math.Max(g.InputLength, g.OutputLength) > int.MaxValue) throw new ArgumentException("Tensor too large for one call.");
    }

    private static void AddInPlace(Span<float> dst, ReadOnlySpan<float> src)
    {
        int i = 0;
        var d = MemoryMarshal.Cast<float, Vector<float>>(dst);
        var s = MemoryMarshal.Cast<float, Vector<float>>(src);
        for (; i < d.Length; i++) d[i] += s[i];
        for (i *= Vector<float>.Count; i < dst.Length; i++) dst[i] += src[i];
    }

    /// <summary>Pooled per-worker buffers: the im2col chunk and (weight gradient only) a zeroed private gw.</summary>
    private sealed class Scratch
    {
        public readonly float[] Cols;
        public readonly float[]? Partial;

        public Scratch(long cols, long partial)
        {
            Cols = ArrayPool<float>.Shared.Rent((int)cols);
            if (partial > 0)
            {
                Partial = ArrayPool<float>.Shared.Rent((int)partial);
                Partial.AsSpan(0, (int)partial).Clear();
            }
        }

        public void Return()
        {
            ArrayPool<float>.Shared.Return(Cols);
            if (Partial != null) ArrayPool<float>.Shared.Return(Partial);
        }
    }

    /// <summary>
    /// One backward call cut into work items (image n, group, chunk of output rows). Pointers: In = x (weight grad)
    /// or gx (input grad); Wt = w or gw; Out = gy.
    /// </summary>
    private sealed class ConvJob
    {
        private readonly ConvGeometry _g;
        private readonly float* _in, _wt, _out;
        private readonly int _ho, _wo, _p, _cg, _og, _k, _rows;
        public readonly int Chunks, Items;
        public readonly long ColsFloats;
        public readonly bool ParallelItems;
        public bool Accumulate { get; init; }
        private readonly object _reduceGate = new();
        /// <summary>Optional per-group GEMM-packed Wᵀ (input gradient), <see cref="PackedStride"/> floats apart.</summary>
        public float* PackedWeights { get; init; }
        public long PackedStride { get; init; }

        public ConvJob(in ConvGeometry g, float* input, float* weights, float* output)
        {
            _g = g;
            _in = input;
            _wt = weights;
            _out = output;
            (_ho, _wo) = (g.OH, g.OW);
            _p = _ho * _wo;
            _cg = g.C / g.Groups;
            _og = g.O / g.Groups;
            _k = _cg * g.KH * g.KW;
            // At least ceil(KH/StrideH) rows per chunk so that chunks two apart never share input rows (col2im phases).
            int minRows = (g.KH + g.StrideH - 1) / g.StrideH;
            _rows = Math.Clamp((ChunkColumns + _wo - 1) / _wo, Math.Min(minRows, _ho), _ho);
            Chunks = (_ho + _rows - 1) / _rows;
            Items = g.N * g.Groups * Chunks;
            ColsFloats = g.IsPointwise ? 0 : (long)_k * _rows * _wo;
            int threads = Math.Max(1, SimdGemm.MaxThreads);
            ParallelItems = threads > 1 && Items >= 2 * threads;
        }

        /// <summary>Runs body over items [0, count), in parallel (one Scratch per worker) or in order.</summary>
        public void ForEach(int count, long colsFloats, long partialFloats, Action<int, Scratch> body, Action<Scratch>? finish)
        {
            if (!ParallelItems)
            {
                var s = new Scratch(colsFloats, partialFloats);
                for (int i = 0; i < count; i++) body(i, s);
                finish?.Invoke(s);
                s.Return();
                return;
            }
            // Static contiguous ranges per worker and an ordered finish: the weight-gradient partial sums are added in
            // the same order on every run, so training is bit-for-bit reproducible (resume == uninterrupted run).
            int workers = Math.Max(1, Math.Min(SimdGemm.MaxThreads, count));
            var scratches = new Scratch[workers];
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var s = scratches[w] = new Scratch(colsFloats, partialFloats);
                int start = (int)((long)count * w / workers), end = (int)((long)count * (w + 1) / workers);
                for (int i = start; i < end; i++) body(i, s);
            });
            foreach (var s in scratches) { finish?.Invoke(s); s.Return(); }
        }

        public void BackwardInput(int item, Scratch s)
        {
            var (n, grp, oh0, rows) = Locate(item);
            int cc = rows * _wo;
            float* gx = _in + ((long)n * _g.C + grp * _cg) * _g.H * _g.W;
            float* gy = _out + ((long)n * _g.O + grp * _og) * _p + oh0 * _wo;
            float* w = _wt + (long)grp * _og * _k;
            if (_g.IsPointwise)
            {
                Gemm(true, false, _k, cc, _og, w, _k, gy, _p, Accumulate ? 1f : 0f, gx + oh0 * _wo, _p, PackedW(grp));
                return;
            }
            fixed (float* cols = s.Cols)
            {
                Gemm(true, false, _k, cc, _og, w, _k, gy, _p, 0f, cols, cc, PackedW(grp));
                CpuIm2Col.Col2ImRows(new ReadOnlySpan<float>(cols, _k * cc), _cg, _g.H, _g.W, _g.KH, _g.KW,
                    _g.StrideH, _g.StrideW, _g.PadH, _g.PadW, oh0, rows, new Span<float>(gx, _cg * _g.H * _g.W));
            }
        }

        public void BackwardWeight(int item, Scratch s)
        {
            var (n, grp, oh0, rows) = Locate(item);
            int cc = rows * _wo;
            float* x = _in + ((long)n * _g.C + grp * _cg) * _g.H * _g.W;
            float* gy = _out + ((long)n * _g.O + grp * _og) * _p + oh0 * _wo;
            fixed (float* cols = s.Cols, partial = s.Partial)
            {
                float* gw = (partial != null ? partial : _wt) + (long)grp * _og * _k;
                float* b = Columns(x, oh0, rows, s.Cols, cols, out long ldb);
                Gemm(false, true, _og, _k, cc, gy, _p, b, ldb, 1f, gw, _k, null);
            }
        }

        /// <summary>Adds a worker's private weight gradient into the shared one.</summary>
        public void ReducePartial(Scratch s)
        {
            if (s.Partial == null) return;
            int len = (int)_g.WeightLength;
            lock (_reduceGate) AddInPlace(new Span<float>(_wt, len), s.Partial.AsSpan(0, len));
        }

        /// <summary>
        /// The [K, rows·Wo] im2col matrix of output rows [oh0, oh0+rows) of one image/group, with its leading dimension:
        /// the image itself for pointwise convolutions, else unrolled into the scratch buffer.
        /// </summary>
        private float* Columns(float* x, int oh0, int rows, float[] cols, float* pcols, out long ld)
        {
            if (_g.IsPointwise)
            {
                ld = _p;
                return x + oh0 * _wo;
            }
            ld = rows * _wo;
            CpuIm2Col.Im2ColRows(new ReadOnlySpan<float>(x, _cg * _g.H * _g.W), _cg, _g.H, _g.W, _g.KH, _g.KW,
                _g.StrideH, _g.StrideW, _g.PadH, _g.PadW, oh0, rows, cols.AsSpan(0, _k * rows * _wo));
            return pcols;
        }

        private (int n, int grp, int oh0, int rows) Locate(int item)
        {
            int chunk = item % Chunks, ng = item / Chunks;
            int oh0 = chunk * _rows;
            return (ng / _g.Groups, ng % _g.Groups, oh0, Math.Min(_rows, _ho - oh0));
        }

        private float* PackedW(int grp) => PackedWeights == null ? null : PackedWeights + grp * PackedStride;

        private void Gemm(bool transA, bool transB, int M, int N, int K, float* A, long lda, float* B, long ldb,
            float beta, float* C, long ldc, float* packedA)
        {
            var p = new GemmProblem
            {
                TransA = transA, TransB = transB, M = M, N = N, K = K, Alpha = 1f, Beta = beta,
                A = A, Lda = lda, B = B, Ldb = ldb, C = C, Ldc = ldc, Batch = 1, PackedA = packedA,
            };
            SimdGemm.Run(in p, parallel: !ParallelItems);
        }
    }
}
