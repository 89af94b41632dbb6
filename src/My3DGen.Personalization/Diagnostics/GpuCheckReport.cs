// The result of `my3dgen gpu-check`: one row per check (kernel parity vs the managed CPU backend, the tiny generator vs
// the PyTorch fixture, timings) with its status, error and timing figures, plus the device and a summary; as JSON.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace My3DGen.Personalization.Diagnostics;

/// <summary>Outcome of one check.</summary>
public enum CheckStatus
{
    /// <summary>Ran and met its tolerance.</summary>
    Pass,
    /// <summary>Ran and missed its tolerance, or threw.</summary>
    Fail,
    /// <summary>Not run (the reason is in the detail).</summary>
    Skipped,
}

/// <summary>One check of the report.</summary>
/// <param name="Name">Unique name, e.g. "kernel/gemm-blocked64/realistic".</param>
/// <param name="Status">Pass, fail or skipped.</param>
/// <param name="Detail">What was compared or timed, the reason for a skip, or the exception.</param>
/// <param name="MaxError">Largest error relative to max(1, |reference|), for comparisons.</param>
/// <param name="Tolerance">The bound MaxError had to meet.</param>
/// <param name="Milliseconds">Best wall time, for timings.</param>
/// <param name="Gflops">Achieved GFLOP/s, for timings with a known op count.</param>
/// <param name="PercentOfPeak">Achieved share of the device's fp32 peak, when the peak is known.</param>
public sealed record CheckResult(string Name, CheckStatus Status, string Detail, double? MaxError = null, double? Tolerance = null,
    double? Milliseconds = null, double? Gflops = null, double? PercentOfPeak = null);

/// <summary>The whole gpu-check report.</summary>
/// <param name="Device">The device the kernels ran on.</param>
/// <param name="GpuPresent">True when a CUDA or OpenCL device was used.</param>
/// <param name="GpuLine">One line saying which GPU ran, or that none was found and why.</param>
/// <param name="TimingDevice">The device the timings ran on.</param>
/// <param name="PeakGflops">The timing device's fp32 peak, when known.</param>
/// <param name="Checks">Every check, in the order run.</param>
public sealed record GpuCheckReport(string Device, bool GpuPresent, string GpuLine, string TimingDevice, double? PeakGflops, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>Number of checks with <paramref name="status"/>.</summary>
    public int Count(CheckStatus status) => Checks.Count(c => c.Status == status);

    /// <summary>True when no check failed.</summary>
    public bool Ok => Count(CheckStatus.Fail) == 0;

    /// <summary>The report as an indented JSON document.</summary>
    public string ToJson() => ToJsonObject().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The report as a JSON object (summary first, then one object per check).</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["ok"] = Ok,
        ["device"] = Device,
        ["gpu"] = GpuPresent,
        ["gpu_line"] = GpuLine,
        ["timing_device"] = TimingDevice,
        ["peak_gflops"] = PeakGflops,
        ["summary"] = new JsonObject
        {
            ["checks"] = Checks.Count, ["passed"] = Count(CheckStatus.Pass), ["failed"] = Count(CheckStatus.Fail), ["skipped"] = Count(CheckStatus.Skipped),
        },
        ["checks"] = new JsonArray(Checks.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name, ["status"] = c.Status.ToString().ToLowerInvariant(), ["detail"] = c.Detail,
            ["max_error"] = c.MaxError, ["tolerance"] = c.Tolerance, ["ms"] = c.Milliseconds, ["gflops"] = c.Gflops, ["percent_of_peak"] = c.PercentOfPeak,
        }).ToArray()),
    };
}
