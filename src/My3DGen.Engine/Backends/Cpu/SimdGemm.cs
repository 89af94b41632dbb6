// Public entry points of the managed SIMD single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, row-major, strided,
// plain and batched. This file only validates arguments, handles the degenerate cases and routes to the tiny-size
// loop (SimdGemmSmall) or the packed, blocked, multithreaded driver (SimdGemmDriver).
namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemm
{
    /// <summary>Problems with M·N·K below this go to the simple loop: packing and threading would cost more than they save.</summary>
    public const long SmallProblemFlops = 32 * 1024;

    /// <summary>Upper bound on worker threads used by one call (defaults to the processor count).</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Name of the micro-kernel the driver uses on this machine, e.g. "avx512 8x32".</summary>
    public static string KernelName => SimdGemmMicroKernel.Active.Name;

    /// <summary>
    /// C[M,N] = alpha·op(A)·op(B) + beta·C with op(X) = X or Xᵀ; all matrices row-major with leading dimensions
    /// lda/ldb/ldc. A is [M,K] (or [K,M] when transA), B is [K,N] (or [N,K] when transB). beta == 0 overwrites C
    /// without reading it (NaNs in C do not propagate). Runs multithreaded for large problems.
    /// </summary>
    public static void Gemm(bool transA, bool transB, int M, int N, int K, float alpha,
        ReadOnlySpan<float> A, int lda, ReadOnlySpan<float> B, int ldb, float beta, Span<float> C, int ldc)
        => GemmBatched(transA, transB, M, N, K, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);

    /// <summary>
    /// <paramref name="batch"/> independent GEMMs; matrix i of A/B/C starts at i·strideA/strideB/strideC.
    /// Strides of A or B may be 0 (shared operand); the C matrices must not overlap.
    /// </summary>
    public static void GemmBatched(bool transA, bool transB, int M, int N, int K, float alpha,
        ReadOnlySpan<float> A, int lda, long strideA, ReadOnlySpan<float> B, int ldb, long strideB,
        float beta, Span<float> C, int ldc, long strideC, int batch)
        => GemmBatched(transA, transB, M, N, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batch,
            parallel: true);

    /// <summary>As the public overload; <paramref name="parallel"/> = false keeps the whole call on the calling thread
    /// (used by callers that already parallelise over independent GEMMs, e.g. convolution chunks).</summary>
    internal static void GemmBatched(bool transA, bool transB, int M, int N, int K, float alpha,
        ReadOnlySpan<float> A, int lda, long strideA, ReadOnlySpan<float> B, int ldb, long strideB,
        float beta, Span<float> C, int ldc, long strideC, int batch, bool parallel)
    {
        if (M < 0 || N < 0 || K < 0 || batch < 0) throw new ArgumentOutOfRangeException(nameof(M), "Sizes must be non-negative.");
        if (strideA < 0 || strideB < 0 || strideC < 0) throw new ArgumentOutOfRangeException(nameof(strideA), "Strides must be non-negative.");
        if (batch > 1 && strideC == 0 && M > 0 && N > 0) throw new ArgumentException("strideC must be positive when batch > 1.", nameof(strideC));
        if (M == 0 || N == 0 || batch == 0) return;
        CheckOperand(C.Length, M, N, ldc, strideC, batch, nameof(C));
        bool noProduct = K == 0 || alpha == 0f;
        if (!noProduct)
        {
            CheckOperand(A.Length, transA ? K : M, transA ? M : K, lda, strideA, batch, nameof(A));
            CheckOperand(B.Length, transB ? N : K, transB ? K : N, ldb, strideB, batch, nameof(B));
        }

        fixed (float* pa = A, pb = B, pc = C)
        {
            var p = new GemmProblem
            {
                TransA = transA, TransB = transB, M = M, N = N, K = K, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, StrideA = strideA, B = pb, Ldb = ldb, StrideB = strideB,
                C = pc, Ldc = ldc, StrideC = strideC, Batch = batch,
            };
            Run(in p, parallel);
        }
    }

    /// <summary>Runs an already validated problem (pointer callers such as the convolution skip the span checks).</summary>
    internal static void Run(in GemmProblem p, bool parallel)
    {
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        if (p.K == 0 || p.Alpha == 0f)
            for (int i = 0; i < p.Batch; i++)
            {
                ScaleC(p.C + i * p.StrideC, p.M, p.N, p.Ldc, p.Beta);
                p.Epilogue?.Apply(i, 0, p.M, 0, p.N, p.C + i * p.StrideC, p.Ldc, null, 0);
            }
        else if ((long)p.M * p.N * p.K < SmallProblemFlops && p.BPacker == null && p.Epilogue == null && p.Side == null && p.A != null)
            SimdGemmSmall.Run(in p);
        else
            SimdGemmDriver.Run(in p, parallel ? Math.Max(1, MaxThreads) : 1);
    }

    /// <summary>Floats needed by <see cref="PrepackA"/> for an M×K op(A) with the active micro-kernel.</summary>
    internal static long PackedASize(int M, int K) => SimdGemmDriver.PackedASize(SimdGemmMicroKernel.Active, M, K);

    /// <summary>
    /// Packs op(A)·alpha once into the layout the driver would build for every task, so callers that multiply the
    /// same A by many B matrices (convolution weights) set <see cref="GemmProblem.PackedA"/> and skip repacking.
    /// </summary>
    internal static void PrepackA(bool transA, int M, int K, float alpha, float* A, long lda, float* dst)
        => SimdGemmDriver.PrepackA(SimdGemmMicroKernel.Active, transA, M, K, alpha, A, lda, dst);

    /// <summary>
    /// <see cref="PrepackA"/> for an op(A) no single leading dimension describes (e.g. a conv weight read tap-major):
    /// element (m, k) is src[rowOffset[m] + colOffset[k]]. The problem then needs no A pointer (A = null).
    /// </summary>
    internal static void PrepackAGather(int M, int K, float* src, long[] rowOffset, long[] colOffset, float* dst)
        => SimdGemmDriver.PrepackAGather(SimdGemmMicroKernel.Active, M, K, src, rowOffset, colOffset, dst);

    /// <summary>C = beta·C, with beta == 0 writing exact zeros.</summary>
    private static void ScaleC(float* c, int M, int N, long ldc, float beta)
    {
        for (int i = 0; i < M; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, N);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) for (int j = 0; j < row.Length; j++) row[j] *= beta;
        }
    }

    /// <summary>Checks that a rows×cols row-major operand (and its batch copies) lies within a span of the given length.</summary>
    private static void CheckOperand(int length, int rows, int cols, int ld, long stride, int batch, string name)
    {
        if (ld < Math.Max(1, cols)) throw new ArgumentException($"Leading dimension of {name} ({ld}) is smaller than its row length ({cols}).", name);
        if (rows == 0 || cols == 0) return;
        long need = (long)(batch - 1) * stride + (long)(rows - 1) * ld + cols;
        if (length < need) throw new ArgumentException($"{name} holds {length} elements but the shape needs {need}.", name);
    }
}

/// <summary>One validated (batched) GEMM call, as raw pointers so worker threads can share it.</summary>
internal unsafe struct GemmProblem
{
    public bool TransA, TransB;
    public int M, N, K, Batch;
    public float Alpha, Beta;
    public float* A, B, C;
    public long Lda, Ldb, Ldc, StrideA, StrideB, StrideC;
    /// <summary>Optional op(A)·alpha already in micro-kernel layout (see <see cref="SimdGemm.PrepackA"/>), shared by
    /// every batch entry; A, Lda and TransA should still describe the original (the tiny-size path reads them); with
    /// A = null (a gathered pack, <see cref="SimdGemm.PrepackAGather"/>) the blocked driver is always used.</summary>
    public float* PackedA;
    /// <summary>Optional producer of packed B panels (e.g. im2col fused with packing); B, Ldb and TransB are then
    /// ignored and the blocked driver is always used.</summary>
    public GemmBPacker? BPacker;
    /// <summary>Optional finisher of C blocks while they are still in cache (e.g. a fused bias/activation); the blocked
    /// driver is then always used.</summary>
    public GemmEpilogue? Epilogue;
    /// <summary>Optional extra rows multiplied by the same packed B blocks in the same pass; the blocked driver is then
    /// always used and K must be positive.</summary>
    public GemmSideRows? Side;
}

/// <summary>Produces op(B) panels directly in micro-kernel layout, for B matrices that are never materialised.</summary>
internal abstract unsafe class GemmBPacker
{
    /// <summary>
    /// Writes op(B)[k0..k0+kc, n0..n0+nLen] of batch entry <paramref name="batch"/> as ceil(nLen/NR) panels: panel q at
    /// dst + q·NR·kc holds element (k0 + k, n0 + q·NR + j) at [k·NR + j], zero-padded past nLen (see SimdGemmPack.PackB).
    /// </summary>
    public abstract void Pack(int batch, int k0, int kc, int n0, int nLen, int NR, float* dst);
}

/// <summary>Finishes C in place right after the driver completes it, so element-wise work needs no extra pass over memory.</summary>
internal abstract unsafe class GemmEpilogue
{
    /// <summary>
    /// Called once per finished block C[m0..m0+mLen, n0..n0+nLen] of batch entry <paramref name="batch"/> (all of K
    /// accumulated), on the thread that computed it; <paramref name="c"/> points at element (m0, n0), rows ldc apart.
    /// With <see cref="GemmProblem.Side"/>, <paramref name="side"/> points at the finished side rows of the same columns
    /// (rows ldSide apart; null otherwise). Blocks of one call never overlap, so implementations may run concurrently.
    /// </summary>
    public abstract void Apply(int batch, int m0, int mLen, int n0, int nLen, float* c, long ldc, float* side, long ldSide);
}

/// <summary>
/// Extra rows S[b] = A2[b]·op(B[b]) (M × N, per batch entry its own A2) computed from the packed B blocks the main product
/// already built: each task multiplies them into a private tile (the epilogue sees it), and the tasks of the first row
/// block hand it to <see cref="Store"/>, once per column range.
/// </summary>
internal abstract unsafe class GemmSideRows
{
    /// <summary>Side rows.</summary>
    public required int M { get; init; }
    /// <summary>Per batch entry: op(A2) [M, K] packed by <see cref="SimdGemm.PrepackA"/>.</summary>
    public required nint[] PackedA { get; init; }

    /// <summary>Receives the finished side rows of columns n0..n0+nLen of batch entry <paramref name="batch"/> (rows ld apart).</summary>
    public abstract void Store(int batch, int n0, int nLen, float* rows, long ld);
}
