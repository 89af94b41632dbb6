// 3×3 stride-1 pad-1 convolution (optionally modulated per sample, optionally the adjoint) as Winograd F(4×4, 3×3): the
// weights are transformed (CpuWinogradWeights) into 36 packed matrices U_ξ[outC, inC], each image is cut into chunks of tile rows,
// a chunk's input tiles are transformed (modulation folded in) into V_ξ[inC, tiles], 36 GEMMs give M_ξ = U_ξ·V_ξ and the
// output transform writes 4×4 pixels per tile. Chunks run in parallel with serial GEMMs, or (few chunks) one at a time
// with the transforms split over channels and the GEMMs parallel; a chunk of ≤ 16 tiles (16² images) uses
// CpuWinogradNarrowGemm, one vector of tiles per row. The weight gradient runs the same chunks backwards:
// V_ξ of the input, the output-gradient tiles through the output transform's adjoint (A·gy·Aᵀ), 36 GEMMs accumulating
// ĝ_ξ[outC, inC] over every tile of the batch, then the weight transform's adjoint (Gᵀ·ĝ·G) adds the 3×3 taps.
using System.Buffers;
using T = My3DGen.Engine.Backends.Cpu.CpuWinogradTransforms;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class CpuWinograd3x3
{
    /// <summary>Transformed-domain points per tile (6×6) and output pixels per tile edge.</summary>
    private const int Xi = 36, Tile = 4;

    /// <summary>Floats of V and M (the two transformed buffers) one chunk may use; sets the tiles per chunk.</summary>
    internal static long ChunkFloatBudget { get; set; } = 1L << 20;

    /// <summary>Tests set this to run chunks of ≤ 16 tiles through the general GEMM driver instead of CpuWinogradNarrowGemm.</summary>
    internal static bool ForceGeneralGemm { get; set; }

    /// <summary>Fewest and most tiles per chunk (the GEMMs' N).</summary>
    internal static int MinChunkTiles { get; set; } = 64;
    internal static int MaxChunkTiles { get; set; } = 512;

    /// <summary>The weight gradient's budget and most tiles per chunk: larger chunks (the GEMMs' K) mean fewer passes
    /// over the ĝ accumulators.</summary>
    internal static long WeightGradientChunkFloatBudget { get; set; } = 1L << 24;
    internal static int WeightGradientMaxChunkTiles { get; set; } = 1024;

    /// <summary>
    /// Whether this path beats the im2col GEMM convolution for a layer of this shape on this machine (batch 1, measured
    /// with 1 and 2 threads): AVX-512 for the lane shuffles; ≥ 64 channels each way (≥ 32 from 256² up), since with few
    /// channels the transforms outweigh the saved multiplies; and images of ≥ 32² (≥ 16² when the caller reuses
    /// transformed weights), since below that the 36 transformed weight matrices (4× the weight bytes) are streamed for
    /// too few tiles. <paramref name="weightsTransformed"/>: the caller passes a cached <see cref="CpuWinogradWeights"/>.
    /// </summary>
    public static bool Pays(int inC, int outC, int h, int w, bool weightsTransformed = false)
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return false;
        long pixels = (long)h * w;
        int minC = Math.Min(inC, outC);
        if (minC < 32 || (minC < 64 && pixels < 256L * 256)) return false;
        return pixels >= (weightsTransformed ? 16L * 16 : 32L * 32);
    }

    /// <summary>
    /// y[b,o,p] = Σ_{i,ty,tx} Wt[o,i,ty,tx]·s[b,i]·x[b,i,p + (ty−1, tx−1)] (PyTorch conv2d, stride 1, zero padding 1) for
    /// x [n, inC, h, w] and y [n, outC, h, w] (overwritten). styles [n, inC] may be null (all ones). adjoint = false:
    /// weight is [outC, inC, 3, 3] and Wt = weight. adjoint = true: weight is a forward conv's weight [inC, outC, 3, 3]
    /// (this call's input is that conv's output gradient) and Wt[o,i,ty,tx] = weight[i,o,2−ty,2−tx], i.e. y is the input
    /// gradient of that forward conv.
    /// </summary>
    public static void Forward(int n, int inC, int outC, int h, int w, float* x, float* styles, float* weight, bool adjoint,
        float* y)
    {
        if (n == 0 || h == 0 || w == 0) return;
        using var u = CpuWinogradWeights.Create(inC, outC, weight, adjoint);
        Forward(n, h, w, x, styles, u, y);
    }

    /// <summary>As the overload above with weights already transformed (u.InC / u.OutC give the channel counts), for
    /// callers that keep the transform of a frozen weight between calls.</summary>
    public static void Forward(int n, int h, int w, float* x, float* styles, CpuWinogradWeights u, float* y)
    {
        if (n < 0 || h < 0 || w < 0) throw new ArgumentOutOfRangeException(nameof(n), "Sizes must be non-negative.");
        if (u.Kernel != SimdGemmMicroKernel.Active) throw new InvalidOperationException("Winograd weights were packed for another GEMM kernel.");
        if (n == 0 || h == 0 || w == 0) return;
        fixed (float* pu = u.Packed)
            new Job(n, u.InC, u.OutC, h, w, x, styles, y) { PackedU = pu, PackStride = u.Stride, Weights = u }.Run();
    }

    /// <summary>
    /// gw[o,i,ky,kx] += Σ_{b,p} gy[b,o,p]·s[b,i]·x[b,i,p + (ky−1, kx−1)]: the weight gradient of the forward conv above
    /// (x [n, inC, h, w], its output gradient gy [n, outC, h, w], gw [outC, inC, 3, 3]); styles [n, inC] may be null.
    /// </summary>
    public static void WeightGradient(int n, int inC, int outC, int h, int w, float* x, float* styles, float* gy, float* gw)
    {
        if (n < 0 || h < 0 || w < 0) throw new ArgumentOutOfRangeException(nameof(n), "Sizes must be non-negative.");
        if (n == 0 || h == 0 || w == 0) return;
        new Job(n, inC, outC, h, w, x, styles, gy, WeightGradientChunkFloatBudget, WeightGradientMaxChunkTiles).RunWeightGradient(gw);
    }

    private static int RoundUp(int a, int m) => (a + m - 1) / m * m;

    /// <summary>One call: geometry, chunk plan and the per-stage bodies (pointers shared by the workers).</summary>
    private sealed class Job
    {
        private readonly int _n, _inC, _outC, _h, _w, _tilesX, _tilesY, _rowsPerChunk, _chunks, _threads;
        private readonly float* _x, _styles, _y;
        private readonly long _ldV, _ldM, _ldG, _rowFloats;
        public float* PackedU { get; init; }
        public long PackStride { get; init; }
        public CpuWinogradWeights? Weights { get; init; }

        /// <summary>y is the output (forward) or the output gradient (weight gradient).</summary>
        public Job(int n, int inC, int outC, int h, int w, float* x, float* styles, float* y)
            : this(n, inC, outC, h, w, x, styles, y, ChunkFloatBudget, MaxChunkTiles) { }

        public Job(int n, int inC, int outC, int h, int w, float* x, float* styles, float* y, long chunkFloatBudget, int maxChunkTiles)
        {
            (_n, _inC, _outC, _h, _w) = (n, inC, outC, h, w);
            _x = x;
            _styles = styles;
            _y = y;
            _tilesX = (w + Tile - 1) / Tile;
            _tilesY = (h + Tile - 1) / Tile;
            long perTile = Xi * (long)(inC + outC);
            int target = (int)Math.Clamp(chunkFloatBudget / perTile, Math.Min(MinChunkTiles, maxChunkTiles), maxChunkTiles);
            _rowsPerChunk = Math.Clamp((target + _tilesX / 2) / _tilesX, 1, _tilesY);
            _chunks = (_tilesY + _rowsPerChunk - 1) / _rowsPerChunk;
            int maxTiles = _rowsPerChunk * _tilesX;
            _ldV = RoundUp(maxTiles, T.Lanes);
            _ldM = RoundUp(maxTiles + T.Lanes - 1, T.Lanes);
            _ldG = _ldV + T.Lanes;
            _rowFloats = 4L * RoundUp(_tilesX, T.Lanes) + 8;
            _threads = Math.Max(1, SimdGemm.MaxThreads);
        }

        private int Items => _n * _chunks;
        private bool ParallelItems => _threads > 1 && Items >= 2 * _threads;
        private long VFloats => Xi * (long)_inC * _ldV;
        private long MFloats => Xi * (long)_outC * _ldM;

        public void Run()
        {
            if (ParallelItems)
            {
                int workers = Math.Min(_threads, Items);
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, wk =>
                {
                    int start = (int)((long)Items * wk / workers), end = (int)((long)Items * (wk + 1) / workers);
                    WithBuffers(VFloats + MFloats, (v, m) =>
                    {
                        for (int item = start; item < end; item++) RunItem(item, v, m, parallel: false);
                    });
                });
            }
            else
                WithBuffers(VFloats + MFloats, (v, m) =>
                {
                    for (int item = 0; item < Items; item++) RunItem(item, v, m, parallel: _threads > 1);
                });
        }

        private void WithBuffers(long floats, Action<nint, nint> body)
        {
            var buf = CpuArrayRecycler.Rent(checked((int)floats));
            try
            {
                fixed (float* p = buf) body((nint)p, (nint)(p + VFloats));
            }
            finally { CpuArrayRecycler.Return(buf); }
        }

        private void RunItem(int item, nint vPtr, nint mPtr, bool parallel)
        {
            float* v = (float*)vPtr, m = (float*)mPtr;
            int b = item / _chunks, ty0 = item % _chunks * _rowsPerChunk;
            int rows = Math.Min(_rowsPerChunk, _tilesY - ty0), tiles = rows * _tilesX;
            int blocks = parallel ? _threads : 1;
            Split(_inC, blocks, (i0, i1) => InputTransform(b, ty0, rows, i0, i1, v));
            if (tiles <= CpuWinogradNarrowGemm.MaxTiles && Weights != null && CpuWinogradNarrowGemm.Supports(Weights) && !ForceGeneralGemm)
                CpuWinogradNarrowGemm.Run(Weights, Xi, v, _inC * _ldV, _ldV, m, _outC * _ldM, _ldM, parallel ? _threads : 1);
            else
                for (int xi = 0; xi < Xi; xi++)
                {
                    // The driver (not SimdGemm.Run, whose tiny-size loop would read an unpacked A) with the packed U_ξ.
                    var p = new GemmProblem
                    {
                        M = _outC, N = tiles, K = _inC, Alpha = 1f, Beta = 0f, Batch = 1,
                        Lda = _inC, PackedA = PackedU + xi * PackStride,
                        B = v + xi * (long)_inC * _ldV, Ldb = _ldV,
                        C = m + xi * (long)_outC * _ldM, Ldc = _ldM,
                    };
                    SimdGemmDriver.Run(in p, parallel ? _threads : 1);
                }
            Split(_outC, blocks, (o0, o1) => OutputTransform(b, ty0, rows, o0, o1, m));
        }

        /// <summary>The weight gradient into gw (added): chunks one at a time (they accumulate into one ĝ), transforms split
        /// over channels, GEMMs parallel; then ĝ to taps, parallel over output channels.</summary>
        public void RunWeightGradient(float* gw)
        {
            long hatStride = (long)_outC * _inC;
            var hat = CpuArrayRecycler.Rent(checked((int)(Xi * hatStride + T.Lanes)));   // + one vector of lanes read past the end
            try
            {
                fixed (float* ph = hat)
                {
                    nint hp = (nint)ph, gwp = (nint)gw;
                    WithBuffers(VFloats + MFloats, (v, m) =>
                    {
                        for (int item = 0; item < Items; item++) WeightGradientItem(item, v, m, (float*)hp, hatStride, first: item == 0);
                    });
                    For(_outC, 8, (o0, o1) =>
                    {
                        for (int o = o0; o < o1; o++)
                            for (int i0 = 0; i0 < _inC; i0 += T.Lanes)
                                T.WeightAdjoint((float*)hp + (long)o * _inC + i0, hatStride, Math.Min(T.Lanes, _inC - i0),
                                    (float*)gwp + ((long)o * _inC + i0) * 9, 9);
                    });
                }
            }
            finally { CpuArrayRecycler.Return(hat); }
        }

        /// <summary>ĝ_ξ[o, i] (+)= Σ_t gM_ξ[o, t]·V_ξ[i, t] over the tiles of one chunk (the first chunk overwrites).</summary>
        private void WeightGradientItem(int item, nint vPtr, nint mPtr, float* hat, long hatStride, bool first)
        {
            float* v = (float*)vPtr, m = (float*)mPtr;
            int b = item / _chunks, ty0 = item % _chunks * _rowsPerChunk;
            int rows = Math.Min(_rowsPerChunk, _tilesY - ty0), tiles = rows * _tilesX;
            Split(_inC, _threads, (i0, i1) => InputTransform(b, ty0, rows, i0, i1, v));
            Split(_outC, _threads, (o0, o1) => OutputGradientTransform(b, ty0, rows, o0, o1, m));
            for (int xi = 0; xi < Xi; xi++)
            {
                var p = new GemmProblem
                {
                    TransB = true, M = _outC, N = _inC, K = tiles, Alpha = 1f, Beta = first ? 0f : 1f, Batch = 1,
                    A = m + xi * (long)_outC * _ldM, Lda = _ldM,
                    B = v + xi * (long)_inC * _ldV, Ldb = _ldV,
                    C = hat + xi * hatStride, Ldc = _inC,
                };
                SimdGemm.Run(in p, parallel: _threads > 1);
            }
        }

        /// <summary>gM_ξ[o, t] = (A·gy·Aᵀ)_ξ of the 4×4 output-gradient tiles, for channels [o0, o1) of image b, tile rows
        /// [ty0, ty0 + rows) (pixels past the image count as 0).</summary>
        private void OutputGradientTransform(int b, int ty0, int rows, int o0, int o1, float* m)
        {
            int tiles = rows * _tilesX;
            var scratch = ArrayPool<float>.Shared.Rent(checked((int)(24 * _ldG + _rowFloats)));
            fixed (float* g = scratch)
            {
                float* row = g + 24 * _ldG;
                new Span<float>(row, (int)_rowFloats).Clear();
                for (int o = o0; o < o1; o++)
                {
                    float* gyc = _y + ((long)b * _outC + o) * _h * _w;
                    for (int r = 0; r < rows; r++)
                        for (int k = 0; k < Tile; k++)
                        {
                            int yy = Tile * (ty0 + r) + k;
                            if (yy < _h) new ReadOnlySpan<float>(gyc + (long)yy * _w, _w).CopyTo(new Span<float>(row, _w));
                            else new Span<float>(row, _w).Clear();
                            T.OutputAdjointRow(row, _tilesX, g + k * 6 * _ldG + (long)r * _tilesX, _ldG);
                        }
                    for (int xx = 0; xx < 6; xx++)
                        T.OutputAdjointColumn(g + xx * _ldG, 6 * _ldG, tiles, m + ((long)xx * _outC + o) * _ldM, 6L * _outC * _ldM);
                }
            }
            ArrayPool<float>.Shared.Return(scratch);
        }

        /// <summary>V_ξ[i, t] for channels [i0, i1) of image b, tile rows [ty0, ty0 + rows).</summary>
        private void InputTransform(int b, int ty0, int rows, int i0, int i1, float* v)
        {
            int tiles = rows * _tilesX;
            var scratch = ArrayPool<float>.Shared.Rent(checked((int)(Xi * _ldG + _rowFloats)));
            fixed (float* g = scratch)
            {
                float* row = g + Xi * _ldG;
                new Span<float>(row, (int)_rowFloats).Clear();
                int y0 = Tile * ty0 - 1, y1 = Tile * (ty0 + rows);   // input rows the chunk reads: [y0, y1]
                for (int i = i0; i < i1; i++)
                {
                    float s = _styles == null ? 1f : _styles[(long)b * _inC + i];
                    float* xc = _x + ((long)b * _inC + i) * _h * _w;
                    for (int yy = y0; yy <= y1; yy++)
                    {
                        // This input row is tap k of local tile row r when yy = 4·(ty0 + r) − 1 + k, k in 0..5.
                        int k0 = (yy + 1) % Tile, r0 = (yy + 1 - k0) / Tile - ty0;
                        float* dstA = null, dstB = null;
                        if (r0 < rows) dstA = g + k0 * 6 * _ldG + (long)r0 * _tilesX;
                        if (k0 + Tile < 6 && r0 >= 1) dstB = g + (k0 + Tile) * 6 * _ldG + (long)(r0 - 1) * _tilesX;
                        if (dstA == null) { dstA = dstB; dstB = null; }
                        if (dstA == null) continue;
                        if ((uint)yy >= (uint)_h)
                        {
                            ClearRow(dstA);
                            if (dstB != null) ClearRow(dstB);
                            continue;
                        }
                        CpuVectorOps.Scale(xc + (long)yy * _w, s, row + 1, _w);
                        T.InputRow(row, _tilesX, dstA, dstB, _ldG);
                    }
                    for (int xx = 0; xx < 6; xx++)
                        T.InputColumn(g + xx * _ldG, 6 * _ldG, tiles, v + ((long)xx * _inC + i) * _ldV, 6L * _inC * _ldV);
                }
            }
            ArrayPool<float>.Shared.Return(scratch);
        }

        private void ClearRow(float* dst)
        {
            for (int xx = 0; xx < 6; xx++) new Span<float>(dst + xx * _ldG, RoundUp(_tilesX, T.Lanes)).Clear();
        }

        /// <summary>y[b, o] for channels [o0, o1) and tile rows [ty0, ty0 + rows) from M_ξ.</summary>
        private void OutputTransform(int b, int ty0, int rows, int o0, int o1, float* m)
        {
            float* stage = stackalloc float[4 * 64];
            long ldXi = (long)_outC * _ldM;
            for (int o = o0; o < o1; o++)
            {
                float* yc = _y + ((long)b * _outC + o) * _h * _w;
                for (int r = 0; r < rows; r++)
                {
                    int oy = Tile * (ty0 + r), validRows = Math.Min(Tile, _h - oy);
                    for (int tx = 0; tx < _tilesX; tx += T.Lanes)
                    {
                        T.Output(m + (long)o * _ldM + (long)r * _tilesX + tx, ldXi, stage);
                        int ox = Tile * tx, valid = Math.Min(64, _w - ox);
                        for (int rr = 0; rr < validRows; rr++)
                            new ReadOnlySpan<float>(stage + rr * 64, valid).CopyTo(new Span<float>(yc + (long)(oy + rr) * _w + ox, valid));
                    }
                }
            }
        }

        /// <summary>Runs body over [0, count) in `blocks` contiguous ranges, in parallel when blocks > 1.</summary>
        private static void Split(int count, int blocks, Action<int, int> body)
        {
            blocks = Math.Min(blocks, count);
            if (blocks <= 1) { body(0, count); return; }
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks },
                k => body((int)((long)count * k / blocks), (int)((long)count * (k + 1) / blocks)));
        }

        /// <summary>Parallel ranges of at least `grain` items over [0, count).</summary>
        private void For(int count, int grain, Action<int, int> body)
            => Split(count, (int)Math.Min(_threads, Math.Max(1, count / grain)), body);
    }
}
