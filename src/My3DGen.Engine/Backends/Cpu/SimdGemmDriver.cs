// Blocked, multithreaded GEMM driver (BLIS-style loop nest). C is cut into tasks of at most MC×NC (across the whole
// batch); each task loops over KC-deep slices of K, packs its A and B blocks into thread-local buffers and sweeps
// NR-wide B micro-panels (L1-resident) against MR-row A panels (L2-resident) with the active micro-kernel. An optional
// epilogue finishes each C strip right after its last K slice, while it is still in cache; optional side rows (a second,
// small A) are multiplied by the same packed B blocks, so e.g. a LoRA down-projection shares the conv's im2col panels.
// When several row tasks would pack the same B columns (few columns, many rows: the small layers' im2col panels), B is
// packed once, in parallel, before the tasks run.
namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmDriver
{
    /// <summary>Smallest task edges the planner will split down to when looking for parallelism.</summary>
    private const int MinTaskRows = 64, MinTaskCols = 128;

    /// <summary>Most floats of B packed ahead and shared by the row tasks (beyond it each task packs its own).</summary>
    internal static long SharedBMaxFloats { get; set; } = 1L << 22;

    public static void Run(in GemmProblem p, int threads)
    {
        var job = new Job(p, SimdGemmMicroKernel.Active, threads);
        if (threads <= 1 || job.Tasks == 1)
            for (int t = 0; t < job.Tasks; t++) job.RunTask(t);
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
            if (job.SharedBFloats > 0)
            {
                job.SharedB = SimdGemmBuffers.GetShared(job.SharedBFloats);
                Parallel.For(0, job.SharedBUnits, options, job.PackSharedB);
            }
            Parallel.For(0, job.Tasks, options, job.RunTask);
        }
    }

    /// <summary>The task decomposition of one call; RunTask is safe to call concurrently for distinct tasks.</summary>
    private sealed class Job
    {
        private readonly GemmProblem _p;
        private readonly SimdGemmMicroKernel _k;
        private readonly int _mc, _nc, _mTiles, _nTiles, _kcBlock, _ncPad, _slices;
        public readonly int Tasks;
        /// <summary>Floats of the shared B panels (0: each task packs its own) and the packing units (batch × column
        /// tile × K slice) that fill them.</summary>
        public readonly long SharedBFloats;
        public readonly int SharedBUnits;
        /// <summary>Where the shared B panels live: column tile (b, nt) at ((b·nTiles + nt)·K + pc)·ncPad for K slice pc.</summary>
        public float* SharedB;

        public Job(in GemmProblem p, SimdGemmMicroKernel k, int threads)
        {
            _p = p;
            _k = k;
            int mTiles = CeilDiv(p.M, k.MC), nTiles = CeilDiv(p.N, k.NC);
            // Aim for at least two tasks per thread so a slow (shared) core does not stall the whole call.
            long want = threads <= 1 ? 1 : 2L * threads;
            while ((long)p.Batch * mTiles * nTiles < want)
            {
                int mc = CeilDiv(p.M, mTiles), nc = CeilDiv(p.N, nTiles);
                bool splitN = nc >= 2 * MinTaskCols, splitM = mc >= 2 * MinTaskRows;
                if (splitN && (!splitM || nc >= mc)) nTiles *= 2;
                else if (splitM) mTiles *= 2;
                else break;
            }
            _mc = RoundUp(CeilDiv(p.M, mTiles), k.MR);
            _nc = RoundUp(CeilDiv(p.N, nTiles), k.NR);
            _mTiles = CeilDiv(p.M, _mc);
            _nTiles = CeilDiv(p.N, _nc);
            _kcBlock = KBlock(k, p.K);
            Tasks = p.Batch * _mTiles * _nTiles;
            _ncPad = RoundUp(_nc, k.NR);
            _slices = CeilDiv(p.K, _kcBlock);
            long shared = (long)p.Batch * _nTiles * p.K * _ncPad;
            if (threads > 1 && _mTiles > 1 && Tasks > 1 && shared <= SharedBMaxFloats)
            {
                SharedBFloats = shared;
                SharedBUnits = p.Batch * _nTiles * _slices;
            }
        }

        /// <summary>Packs one (batch, column tile, K slice) unit of the shared B panels.</summary>
        public void PackSharedB(int unit)
        {
            ref readonly var p = ref _p;
            int s = unit % _slices, bn = unit / _slices, b = bn / _nTiles, n0 = bn % _nTiles * _nc;
            int pc = s * _kcBlock, kc = Math.Min(_kcBlock, p.K - pc), nLen = Math.Min(_nc, p.N - n0);
            float* dst = SharedB + ((long)bn * p.K + pc) * _ncPad;
            if (p.BPacker != null) p.BPacker.Pack(b, pc, kc, n0, nLen, _k.NR, dst);
            else SimdGemmPack.PackB(p.B + b * p.StrideB, p.Ldb, p.TransB, pc, kc, n0, nLen, _k.NR, dst);
        }

        public void RunTask(int task)
        {
            ref readonly var p = ref _p;
            var k = _k;
            int perBatch = _mTiles * _nTiles;
            int b = task / perBatch, r = task % perBatch;
            int m0 = r / _nTiles * _mc, n0 = r % _nTiles * _nc;
            int mLen = Math.Min(_mc, p.M - m0), nLen = Math.Min(_nc, p.N - n0);
            float* A = p.A + b * p.StrideA, B = p.B + b * p.StrideB, C = p.C + b * p.StrideC;

            var sideRows = p.Side;
            int MR = k.MR, NR = k.NR, sidePad = sideRows == null ? 0 : RoundUp(sideRows.M, MR);
            long aSize = (long)_mc * _kcBlock, bSize = (long)_nc * _kcBlock, sideSize = (long)sidePad * _nc;
            float* ap = SimdGemmBuffers.Get(aSize + bSize + MR * NR + sideSize + 48);
            float* bp = ap + RoundUp(aSize, 16);
            float* edge = bp + RoundUp(bSize, 16);
            // Side rows of this task: [sidePad, nc] (ldc nc, a multiple of NR), so every micro-tile fits without an edge copy.
            float* side = sideRows == null ? null : edge + RoundUp((long)MR * NR, 16);
            var kernel = k.Fn;

            for (int pc = 0; pc < p.K; pc += _kcBlock)
            {
                int kc = Math.Min(_kcBlock, p.K - pc);
                if (SharedB != null) bp = SharedB + (((long)b * _nTiles + n0 / _nc) * p.K + pc) * _ncPad;
                else if (p.BPacker != null) p.BPacker.Pack(b, pc, kc, n0, nLen, NR, bp);
                else SimdGemmPack.PackB(B, p.Ldb, p.TransB, pc, kc, n0, nLen, NR, bp);
                float* aBlock = ap;
                if (p.PackedA != null) aBlock = p.PackedA + (long)pc * RoundUp(p.M, MR) + (long)m0 * kc;
                else SimdGemmPack.PackA(A, p.Lda, p.TransA, m0, mLen, pc, kc, p.Alpha, MR, ap);
                float beta = pc == 0 ? p.Beta : 1f;
                bool last = pc + kc == p.K;
                if (sideRows != null)
                {
                    float* sideA = (float*)sideRows.PackedA[b] + (long)pc * sidePad;
                    for (int jr = 0; jr < nLen; jr += NR)
                        for (int ir = 0; ir < sidePad; ir += MR)
                            kernel(sideA + (long)ir * kc, bp + (long)jr * kc, kc, side + (long)ir * _nc + jr, _nc, pc == 0 ? 0f : 1f);
                    if (last && m0 == 0) sideRows.Store(b, n0, nLen, side, _nc);
                }
                for (int jr = 0; jr < nLen; jr += NR)
                {
                    int nr = Math.Min(NR, nLen - jr);
                    float* bPanel = bp + (long)jr * kc;
                    for (int ir = 0; ir < mLen; ir += MR)
                    {
                        int mr = Math.Min(MR, mLen - ir);
                        float* aPanel = aBlock + (long)ir * kc;
                        float* c = C + (m0 + ir) * p.Ldc + n0 + jr;
                        if (mr == MR && nr == NR)
                            kernel(aPanel, bPanel, kc, c, (nint)p.Ldc, beta);
                        else
                        {
                            kernel(aPanel, bPanel, kc, edge, NR, 0f);
                            MergeEdge(edge, NR, c, p.Ldc, mr, nr, beta);
                        }
                    }
                    // The mLen×nr strip is final once the last K slice went through it: finish it while it is in cache.
                    if (last && p.Epilogue != null)
                        p.Epilogue.Apply(b, m0, mLen, n0 + jr, nr, C + m0 * p.Ldc + n0 + jr, p.Ldc, side == null ? null : side + jr, _nc);
                }
            }
        }
    }

    /// <summary>Depth of the K slices: K split into equal slices of at most KC (also the slicing of PrepackA buffers).</summary>
    internal static int KBlock(SimdGemmMicroKernel k, int K) => CeilDiv(K, CeilDiv(K, k.KC));

    public static long PackedASize(SimdGemmMicroKernel k, int M, int K) => (long)RoundUp(M, k.MR) * K;

    /// <summary>Whole-matrix A packing: K slice by K slice, each slice holding all MR-row panels (what RunTask indexes).
    /// Large matrices are packed in parallel over (K slice, group of row panels).</summary>
    public static void PrepackA(SimdGemmMicroKernel k, bool transA, int M, int K, float alpha, float* A, long lda, float* dst)
    {
        int mPad = RoundUp(M, k.MR), MR = k.MR;
        nint a = (nint)A, d = (nint)dst;
        ForEachPanelGroup(k, M, K, (pc, kc, m0, mLen) =>
            SimdGemmPack.PackA((float*)a, lda, transA, m0, mLen, pc, kc, alpha, MR, (float*)d + (long)pc * mPad + (long)m0 * kc));
    }

    /// <summary>PrepackA's layout for op(A)(m, k) = src[rowOffset[m] + colOffset[k]] (alpha 1).</summary>
    public static void PrepackAGather(SimdGemmMicroKernel k, int M, int K, float* src, long[] rowOffset, long[] colOffset, float* dst)
    {
        int mPad = RoundUp(M, k.MR), MR = k.MR;
        nint s = (nint)src, d = (nint)dst;
        ForEachPanelGroup(k, M, K, (pc, kc, m0, mLen) =>
        {
            float* panel = (float*)d + (long)pc * mPad + (long)m0 * kc;
            for (int i0 = m0; i0 < m0 + mLen; i0 += MR, panel += (long)MR * kc)
            {
                int rows = Math.Min(MR, M - i0);
                for (int kk = 0; kk < kc; kk++)
                {
                    float* dd = panel + (long)kk * MR;
                    long co = colOffset[pc + kk];
                    int r = 0;
                    for (; r < rows; r++) dd[r] = ((float*)s)[rowOffset[i0 + r] + co];
                    for (; r < MR; r++) dd[r] = 0f;
                }
            }
        });
    }

    /// <summary>Calls pack(pc, kc, m0, mLen) over every K slice and group of MR-row panels (m0 a multiple of MR), in
    /// parallel when the matrix is large enough to pay for it.</summary>
    private static void ForEachPanelGroup(SimdGemmMicroKernel k, int M, int K, Action<int, int, int, int> pack)
    {
        int kcBlock = KBlock(k, K), slices = CeilDiv(K, kcBlock);
        int groupRows = RoundUp(Math.Max(k.MR, 64), k.MR), groups = CeilDiv(M, groupRows);
        long tasks = (long)slices * groups;
        void Task(long t)
        {
            int pc = (int)(t / groups) * kcBlock, m0 = (int)(t % groups) * groupRows;
            pack(pc, Math.Min(kcBlock, K - pc), m0, Math.Min(groupRows, M - m0));
        }
        if ((long)M * K < 1 << 17 || tasks == 1) { for (long t = 0; t < tasks; t++) Task(t); return; }
        CpuParallel.For(tasks, 1, (t0, t1) => { for (long t = t0; t < t1; t++) Task(t); });
    }

    /// <summary>Copies the valid mr×nr corner of a full micro-tile result into C with the beta rule.</summary>
    private static void MergeEdge(float* tile, int ldt, float* c, long ldc, int mr, int nr, float beta)
    {
        for (int i = 0; i < mr; i++, tile += ldt, c += ldc)
            for (int j = 0; j < nr; j++)
                c[j] = beta == 0f ? tile[j] : tile[j] + beta * c[j];
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
    private static int RoundUp(int a, int m) => CeilDiv(a, m) * m;
    private static long RoundUp(long a, int m) => (a + m - 1) / m * m;
}
