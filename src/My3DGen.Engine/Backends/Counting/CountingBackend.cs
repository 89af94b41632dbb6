// An IBackend that does no math: it records what the ILGPU backend would do on a GPU for the same calls — kernel
// launches (with GEMMs cut by the same GemmLaunchPlan), FLOPs per op kind, host↔device bytes, queue drains, grid
// sizes and int32 index ranges — so whole-model budgets can be checked in unit tests at full size in seconds.
// Downloads return zeros. Adding an IBackend method: implement it here with one Launch(...) per kernel it issues.
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Counting;

/// <summary>A no-math backend that counts work and transfers as the ILGPU backend would issue them on a GPU
/// with <see cref="Multiprocessors"/> streaming multiprocessors.</summary>
public sealed partial class CountingBackend : IBackend
{
    readonly object _gate = new();
    readonly Dictionary<string, double> _flops = [];
    readonly Dictionary<string, long> _launches = [];
    readonly List<string> _violations = [];
    long _uploads, _uploadBytes, _downloads, _downloadBytes, _drains, _split;
    long _maxX, _maxY, _maxZ, _maxIndex, _liveBytes, _peakBytes;

    /// <summary>Streaming multiprocessors of the modelled GPU (sizes the grid of grid-stride kernels; H200: 132).</summary>
    public int Multiprocessors { get; init; } = 132;

    /// <inheritdoc/>
    public string Name => "counting (no math; models the ILGPU backend on a GPU)";
    /// <inheritdoc/>
    public BackendKind Kind => BackendKind.Cuda;

    /// <summary>The counts so far.</summary>
    public BackendCounts Counts
    {
        get
        {
            lock (_gate)
                return new BackendCounts
                {
                    FlopsByOp = new Dictionary<string, double>(_flops), LaunchesByOp = new Dictionary<string, long>(_launches),
                    Uploads = _uploads, UploadBytes = _uploadBytes, Downloads = _downloads, DownloadBytes = _downloadBytes,
                    Drains = _drains, MaxGridX = _maxX, MaxGridY = _maxY, MaxGridZ = _maxZ, MaxIndexRange = _maxIndex,
                    SplitGemms = _split, PeakBytes = _peakBytes, Violations = _violations.ToList(),
                };
        }
    }

    /// <summary>Zeroes every counter and maximum (the peak restarts from the bytes allocated now).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _flops.Clear(); _launches.Clear(); _violations.Clear();
            _uploads = _uploadBytes = _downloads = _downloadBytes = _drains = _split = 0;
            _maxX = _maxY = _maxZ = _maxIndex = 0;
            _peakBytes = _liveBytes;
        }
    }

    // ---- accounting ----

    void Flops(string op, double flops)
    {
        lock (_gate) _flops[op] = (_flops.TryGetValue(op, out var f) ? f : 0) + flops;
    }

    /// <summary>One kernel launch of <paramref name="op"/> with the given grid and int32 index range.</summary>
    void Launch(string op, long gridX, long gridY, long gridZ, long indexRange)
    {
        lock (_gate)
        {
            _launches[op] = (_launches.TryGetValue(op, out var l) ? l : 0) + 1;
            _maxX = Math.Max(_maxX, gridX); _maxY = Math.Max(_maxY, gridY); _maxZ = Math.Max(_maxZ, gridZ);
            _maxIndex = Math.Max(_maxIndex, indexRange);
            if (gridX > DeviceLimits.MaxGridX || gridY > DeviceLimits.MaxGridYZ || gridZ > DeviceLimits.MaxGridYZ)
                _violations.Add($"{op}: grid ({gridX}, {gridY}, {gridZ}) exceeds the device limits");
            if (indexRange > DeviceLimits.MaxLinearCount)
                _violations.Add($"{op}: index range {indexRange:N0} exceeds int32 ({DeviceLimits.MaxLinearCount:N0})");
        }
    }

    /// <summary>A grid-stride launch over <paramref name="n"/> items (256-thread groups, at most 32 per multiprocessor).</summary>
    void Linear(string op, long n)
    {
        if (n <= 0) return;
        Launch(op, Math.Clamp((n + 255) / 256, 1, Multiprocessors * 32L), 1, 1, n);
    }

    void Gemm(string op, in GemmParams p)
    {
        if (p.M <= 0 || p.N <= 0 || p.Batch <= 0) return;
        Flops(op, 2.0 * p.M * p.N * p.K * p.Batch);
        var kind = p.M >= GemmKernels.Block && p.N >= GemmKernels.Block ? GemmKernels.Block : GemmKernels.Tile;
        List<GemmChunk> chunks;
        try { chunks = GemmLaunchPlan.Plan(p, kind); }
        catch (NotSupportedException e) { lock (_gate) _violations.Add($"{op}: {e.Message}"); return; }
        if (chunks.Count > 1) lock (_gate) _split++;
        foreach (var c in chunks)
        {
            var l = c.Local;
            long range = Math.Max(Math.Max(Span(l.TransA != 0 ? l.K : l.M, l.TransA != 0 ? l.M : l.K, l.Lda, l.StrideA, l.Batch),
                Span(l.TransB != 0 ? l.N : l.K, l.TransB != 0 ? l.K : l.N, l.Ldb, l.StrideB, l.Batch)), Span(l.M, l.N, l.Ldc, l.StrideC, l.Batch));
            Launch(op, c.Grid.X, c.Grid.Y, c.Grid.Z, range);
        }
    }

    static long Span(long rows, long cols, long ld, long stride, long batch) =>
        rows <= 0 || cols <= 0 ? 0 : (batch - 1) * Math.Max(0, stride) + (rows - 1) * ld + cols;

    // ---- memory ----

    /// <inheritdoc/>
    public Storage Allocate(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) { _liveBytes += count * sizeof(float); _peakBytes = Math.Max(_peakBytes, _liveBytes); }
        return new CountingStorage(this, count);
    }

    internal void Freed(long count) { lock (_gate) _liveBytes -= count * sizeof(float); }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> src, Storage dst, long dstOffset) { dst.MarkWritten(); Uploaded(src.Length); }

    void Uploaded(long count)
    {
        if (count == 0) return;
        lock (_gate) { _uploads++; _uploadBytes += count * sizeof(float); }
    }

    /// <inheritdoc/>
    public void Download(Storage src, long srcOffset, Span<float> dst)
    {
        if (dst.IsEmpty) return;
        dst.Clear();
        lock (_gate) { _downloads++; _downloadBytes += (long)dst.Length * sizeof(float); _drains++; }
    }

    /// <inheritdoc/>
    public void Fill(Storage dst, long offset, long count, float value) { dst.MarkWritten(); Linear(nameof(Fill), count); }
    /// <inheritdoc/>
    public void Copy(Storage src, KernelView srcView, Storage dst, KernelView dstView) { dst.MarkWritten(); Linear(nameof(Copy), srcView.Count); }
    /// <inheritdoc/>
    public void Synchronize() { lock (_gate) _drains++; }
    /// <inheritdoc/>
    public void Dispose() { }

    // ---- elementwise ----

    /// <inheritdoc/>
    public void Unary(UnaryOp op, Storage x, int xOffset, Storage y, int yOffset, int n, float a, float b)
    { Flops(nameof(Unary), n); Linear(nameof(Unary), n); }
    /// <inheritdoc/>
    public void UnaryGrad(UnaryOp op, Storage x, Storage y, Storage gy, Storage gx, int n, float a, float b)
    { Flops(nameof(UnaryGrad), 2.0 * n); Linear(nameof(UnaryGrad), n); }
    /// <inheritdoc/>
    public void Binary(BinaryOp op, Storage a, KernelView aView, Storage b, KernelView bView, Storage y, int n)
    { Flops(nameof(Binary), n); Linear(nameof(Binary), n); }
    /// <inheritdoc/>
    public void ReduceLastAxis(ReduceOp op, Storage x, int xOffset, int outer, int inner, Storage y)
    {
        Flops(nameof(ReduceLastAxis), (double)outer * inner);
        if (inner == 0) Linear(nameof(Fill), outer);
        else if (inner >= 256 && outer > 0) Launch(nameof(ReduceLastAxis), Math.Min(outer, DeviceLimits.MaxGridYZ), 1, 1, (long)outer * inner);
        else Linear(nameof(ReduceLastAxis), outer);
    }

    // ---- linear algebra / convolution (per sample: im2col + GEMM, as IlgpuBackend.Conv) ----

    /// <inheritdoc/>
    public void Gemm(in GemmParams p, Storage a, Storage b, Storage c) => Gemm(nameof(Gemm), p);

    /// <inheritdoc/>
    public void Conv2dForward(in ConvGeometry g, Storage x, Storage w, Storage? bias, Storage y)
    {
        const string op = nameof(Conv2dForward);
        foreach (var c in Chunks(op, g))
        {
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.OH * c.OW;
            if (!c.IsPointwise) Linear(op, (long)c.ColRows * ohw);
            Gemm(op, new GemmParams { M = c.OPerGroup, N = ohw, K = kk, Alpha = 1f, Batch = c.Groups, Lda = kk, StrideA = c.OPerGroup * kk,
                Ldb = ohw, StrideB = kk * ohw, Ldc = ohw, StrideC = c.OPerGroup * ohw });
        }
        if (bias != null) { Flops(op, g.OutputLength); Linear(op, g.OutputLength); }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in ConvGeometry g, Storage gy, Storage w, Storage gx, bool accumulate)
    {
        const string op = nameof(Conv2dBackwardInput);
        foreach (var c in Chunks(op, g))
        {
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.OH * c.OW;
            Gemm(op, new GemmParams { TransA = 1, M = kk, N = ohw, K = c.OPerGroup, Alpha = 1f, Batch = c.Groups, Lda = kk,
                StrideA = c.OPerGroup * kk, Ldb = ohw, StrideB = c.OPerGroup * ohw, Ldc = ohw, StrideC = kk * ohw });
            if (!c.IsPointwise) Linear(op, c.InputLength);
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in ConvGeometry g, Storage gy, Storage x, Storage gw, bool accumulate)
    {
        const string op = nameof(Conv2dBackwardWeight);
        if (g.N == 0) { if (!accumulate) Linear(nameof(Fill), g.WeightLength); return; }
        foreach (var c in Chunks(op, g))
        {
            int kk = c.CPerGroup * c.KH * c.KW, ohw = c.OH * c.OW;
            if (!c.IsPointwise) Linear(op, (long)c.ColRows * ohw);
            Gemm(op, new GemmParams { TransB = 1, M = c.OPerGroup, N = kk, K = ohw, Alpha = 1f, Batch = c.Groups, Lda = ohw,
                StrideA = c.OPerGroup * ohw, Ldb = ohw, StrideB = kk * ohw, Ldc = kk, StrideC = c.OPerGroup * kk });
        }
    }

    /// <summary>The single-sample geometries the ILGPU backend launches for <paramref name="g"/>: every sample × group chunk.</summary>
    IEnumerable<ConvGeometry> Chunks(string op, ConvGeometry g)
    {
        List<ConvGroupChunk> chunks;
        try { chunks = ConvGroupChunks.Plan(g); }
        catch (NotSupportedException e) { lock (_gate) _violations.Add($"{op}: {e.Message}"); yield break; }
        for (int n = 0; n < g.N; n++)
            foreach (var ch in chunks) yield return ch.Geometry;
    }

    // ---- resampling, pooling, indexing, optimisation ----

    /// <inheritdoc/>
    public void ApplyAxisWeights(Storage x, int outer, int inner, AxisWeights weights, Storage y)
    {
        const string op = nameof(ApplyAxisWeights);
        long total = (long)outer * weights.OutLength * inner;
        if (total == 0) return;
        int nnz = weights.RowStart[^1];
        // The ILGPU backend uploads the CSR rows, indices and weights for every call.
        Uploaded(weights.RowStart.Length); Uploaded(Math.Max(nnz, 1)); Uploaded(Math.Max(nnz, 1));
        Flops(op, 2.0 * nnz * outer * inner);
        Linear(op, total);
    }

    /// <inheritdoc/>
    public void Pool2d(PoolKind kind, in PoolGeometry g, Storage x, Storage y, Storage? argmax)
    { Flops(nameof(Pool2d), (double)g.OutCount * g.KH * g.KW); Linear(nameof(Pool2d), g.OutCount); }
    /// <inheritdoc/>
    public void Pool2dGrad(PoolKind kind, in PoolGeometry g, Storage gy, Storage? argmax, Storage gx)
    { Flops(nameof(Pool2dGrad), (double)g.InCount); Linear(nameof(Pool2dGrad), g.InCount); }
    /// <inheritdoc/>
    public void IndexSelect(Storage x, int outer, int axisLength, int inner, Storage indices, int count, Storage y)
        => Linear(nameof(IndexSelect), (long)outer * count * inner);
    /// <inheritdoc/>
    public void IndexAdd(Storage gy, int outer, int axisLength, int inner, Storage indices, int count, Storage gx)
    { Flops(nameof(IndexAdd), (double)outer * count * inner); Linear(nameof(IndexAdd), (long)outer * count * inner); }
    /// <inheritdoc/>
    public void AdamStep(in AdamParams args, Storage p, Storage g, Storage m, Storage v, int n)
    { p.MarkWritten(); Flops(nameof(AdamStep), 12.0 * n); Linear(nameof(AdamStep), n); }

    sealed class CountingStorage(CountingBackend owner, long length) : Storage(owner, length)
    {
        protected override void Free() => owner.Freed(Length);
    }
}
