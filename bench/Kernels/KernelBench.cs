// The `kernels` verb: measures the machine peaks, times every case of every registered backend (median after
// warm-up), prints a Spectre.Console table with throughput and % of the measured peak, and optionally writes JSON.
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace My3DGen.Bench.Kernels;

public static class KernelBench
{
    /// <summary>Backends whose rows appear in the table, in order. Register new backends here.</summary>
    public static readonly IBenchBackend[] Backends = [new CpuReferenceBackend(), new CpuSimdBackend()];

    public static void Run(string[] args)
    {
        string? jsonPath = Option(args, "--json");
        string? filter = Option(args, "--filter");
        bool quick = args.Contains("--quick");
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200; // keep rows on one line in logs

        AnsiConsole.MarkupLine($"[bold]Machine[/]: {Environment.ProcessorCount} logical cores, {Markup.Escape(System.Runtime.InteropServices.RuntimeInformation.OSDescription)}, .NET {Environment.Version}");
        AnsiConsole.MarkupLine("Measuring peaks (FMA loop on all cores, triad bandwidth)...");
        var before = PeakProbe.Measure(quick);
        PrintPeaks("before cases", before);

        var measured = new List<(BenchCase Case, TimingStats Time)>();
        foreach (var backend in Backends)
            foreach (var c in backend.Cases(quick))
            {
                if (filter != null && !$"{c.Op} {c.Shape} {c.Backend}".Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                AnsiConsole.MarkupLine($"[grey]  {Markup.Escape($"{c.Op} {c.Shape} [{c.Backend}]")}...[/]");
                var action = c.Prepare();
                var t = BenchTimer.Measure(action, c.BudgetSeconds, c.MinRuns, maxWarmup: c.MinRuns == 1 ? 1 : 20);
                measured.Add((c, t));
                GC.Collect();
            }

        // Probe again after the cases (other load on the machine may have changed) and keep the better ceilings.
        var after = PeakProbe.Measure(quick);
        PrintPeaks("after cases", after);
        var peaks = before.Max(after);
        var results = measured.Select(m =>
        {
            double perSecond = m.Case.Work / (m.Time.MedianMs / 1e3) / 1e9, best = m.Case.Work / (m.Time.MinMs / 1e3) / 1e9;
            double peak = m.Case.Unit == WorkUnit.Flops ? peaks.FmaGflops : peaks.TriadGBs;
            return new BenchResult(m.Case.Op, m.Case.Shape, m.Case.Backend, m.Time.MedianMs, m.Time.MinMs, m.Time.Runs,
                m.Case.Unit == WorkUnit.Flops ? "GFLOP/s" : "GB/s", perSecond, best, 100 * perSecond / peak, m.Case.Note);
        }).ToList();

        PrintTable(results, peaks);
        if (jsonPath != null)
        {
            var doc = new { machine = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString(), utc = DateTime.UtcNow }, peaks, peaksBefore = before, peaksAfter = after, results };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(jsonPath)}");
        }
    }

    private static void PrintPeaks(string when, MachinePeaks p) =>
        AnsiConsole.MarkupLine($"[bold]Peak FMA[/] ({when}): {p.FmaGflops:F1} GFLOP/s ({p.VectorIsa}, {p.Threads} threads)   [bold]Triad bandwidth[/]: {p.TriadGBs:F1} GB/s");

    private static void PrintTable(List<BenchResult> results, MachinePeaks peaks)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("op").AddColumn("shape").AddColumn("backend")
            .AddColumn(new TableColumn("ms (median)").RightAligned()).AddColumn(new TableColumn("ms (best)").RightAligned())
            .AddColumn(new TableColumn("runs").RightAligned()).AddColumn(new TableColumn("throughput (median)").RightAligned())
            .AddColumn(new TableColumn("(best)").RightAligned())
            .AddColumn(new TableColumn("% peak").RightAligned()).AddColumn("note");
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Op), Markup.Escape(r.Shape), Markup.Escape(r.Backend), $"{r.MedianMs:F2}", $"{r.MinMs:F2}",
                $"{r.Runs}", $"{r.Throughput:F1} {r.Unit}", $"{r.BestThroughput:F1}", $"{r.PercentOfPeak:F0}%", Markup.Escape(r.Note ?? ""));
        table.Caption($"% peak = median vs. best probe: {peaks.FmaGflops:F1} GFLOP/s all-core FMA, {peaks.TriadGBs:F1} GB/s triad. Conv flops: 2·N·O·(C/g)·kh·kw·Ho·Wo (bwd rows too).");
        AnsiConsole.Write(table);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
