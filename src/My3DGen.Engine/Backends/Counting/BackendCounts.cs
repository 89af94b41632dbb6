// What the counting backend tallied: FLOPs and launches per op kind, host↔device traffic, queue drains, the largest
// grid dimensions and int32 index ranges any launch needed, and every launch that would break a device limit.
// Counts are plain numbers so a test or the gpu-check report can take differences between two snapshots.
using System.Text;

namespace My3DGen.Engine.Backends.Counting;

/// <summary>A snapshot of the counters of a <see cref="CountingBackend"/> (or the difference of two).</summary>
public sealed record BackendCounts
{
    /// <summary>Floating-point operations per op kind (the IBackend method name; a multiply-add counts 2).</summary>
    public IReadOnlyDictionary<string, double> FlopsByOp { get; init; } = new Dictionary<string, double>();
    /// <summary>Kernel launches per op kind, as the ILGPU backend issues them on a GPU.</summary>
    public IReadOnlyDictionary<string, long> LaunchesByOp { get; init; } = new Dictionary<string, long>();
    /// <summary>Host → device copies.</summary>
    public long Uploads { get; init; }
    /// <summary>Bytes copied host → device.</summary>
    public long UploadBytes { get; init; }
    /// <summary>Device → host copies.</summary>
    public long Downloads { get; init; }
    /// <summary>Bytes copied device → host.</summary>
    public long DownloadBytes { get; init; }
    /// <summary>Waits for the whole device queue (every download and every Synchronize).</summary>
    public long Drains { get; init; }
    /// <summary>Largest grid X, Y and Z of any launch.</summary>
    public long MaxGridX { get; init; }
    /// <summary>Largest grid Y of any launch (CUDA limit 65,535).</summary>
    public long MaxGridY { get; init; }
    /// <summary>Largest grid Z of any launch (CUDA limit 65,535).</summary>
    public long MaxGridZ { get; init; }
    /// <summary>Largest element range one launch indexes with int32 math (must stay ≤ DeviceLimits.MaxLinearCount).</summary>
    public long MaxIndexRange { get; init; }
    /// <summary>GEMMs that had to be cut into more than one launch to respect the grid or int32 limits.</summary>
    public long SplitGemms { get; init; }
    /// <summary>Largest number of device bytes allocated at once.</summary>
    public long PeakBytes { get; init; }
    /// <summary>Launches that would exceed a grid or int32 limit (empty when all is well), one line each.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>Total floating-point operations.</summary>
    public double Flops => FlopsByOp.Values.Sum();
    /// <summary>Total kernel launches.</summary>
    public long Launches => LaunchesByOp.Values.Sum();

    /// <summary>The counts of <paramref name="later"/> since <paramref name="earlier"/>; maxima and the peak stay those of <paramref name="later"/> (cumulative since the last Reset).</summary>
    public static BackendCounts Between(BackendCounts earlier, BackendCounts later) => later with
    {
        FlopsByOp = Diff(earlier.FlopsByOp, later.FlopsByOp, (a, b) => b - a),
        LaunchesByOp = Diff(earlier.LaunchesByOp, later.LaunchesByOp, (a, b) => b - a),
        Uploads = later.Uploads - earlier.Uploads, UploadBytes = later.UploadBytes - earlier.UploadBytes,
        Downloads = later.Downloads - earlier.Downloads, DownloadBytes = later.DownloadBytes - earlier.DownloadBytes,
        Drains = later.Drains - earlier.Drains, SplitGemms = later.SplitGemms - earlier.SplitGemms,
        Violations = later.Violations.Skip(earlier.Violations.Count).ToList(),
    };

    static Dictionary<string, T> Diff<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b, Func<T, T, T> minus) where T : struct =>
        b.ToDictionary(kv => kv.Key, kv => minus(a.TryGetValue(kv.Key, out var v) ? v : default, kv.Value));

    /// <summary>One line: GFLOP, launches, transfers, drains, limits.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"{Flops / 1e9:F1} GFLOP, {Launches:N0} launches, {Uploads:N0} uploads ({UploadBytes / 1e6:F1} MB), ");
        sb.Append($"{Downloads:N0} downloads ({DownloadBytes / 1e6:F1} MB), {Drains:N0} drains, grid ≤ ({MaxGridX}, {MaxGridY}, {MaxGridZ}), ");
        sb.Append($"index range ≤ {MaxIndexRange:N0}, {SplitGemms} split GEMMs, peak {PeakBytes / 1e9:F2} GB, {Violations.Count} violations");
        return sb.ToString();
    }
}
