// `my3dgen gpu-check [-o report.json] [--quick] [--fixtures DIR]`: every ILGPU kernel against the managed CPU backend,
// the tiny generator against the PyTorch fixture, and timings (GpuCheck service); writes one JSON report atomically.
// Without a GPU it says so in one line and runs on the ILGPU CPU accelerator. Exit 0 when no check failed, else 70.
using System.CommandLine;
using System.Text;
using My3DGen.Engine.IO;
using My3DGen.Models.Api;
using My3DGen.Personalization.Diagnostics;

namespace My3DGen.Cli.Commands;

internal static class GpuCheckCommand
{
    /// <summary>The `gpu-check` verb.</summary>
    public static Command Create(CliSession s)
    {
        var output = new Option<string>("--output", "-o") { Description = "JSON report path", DefaultValueFactory = _ => "gpu-check.json" };
        var quick = new Option<bool>("--quick") { Description = "small sizes only, no full-size timings (seconds)" };
        var fixtures = new Option<string?>("--fixtures") { Description = "folder with eg3d-tiny.pkl and tiny_seed0_psi0.7_cam1.safetensors (default: beside the executable, else tests/fixtures/eg3d)" };
        var cmd = CliSession.With(s.Verb("gpu-check", "check the GPU path: every kernel vs the CPU backend, the tiny generator vs PyTorch, timings",
            "my3dgen gpu-check -o gpu-check.json", "my3dgen gpu-check --quick --json"), output, quick, fixtures);
        cmd.SetAction(parse =>
        {
            string outPath = parse.GetValue(output)!;
            OutputPaths.PrepareFile(outPath);
            var dir = FixtureFolder(parse.GetValue(fixtures));
            string? tinyPkl = dir == null ? null : Path.Combine(dir, "eg3d-tiny.pkl");
            string? tiny = null;
            if (tinyPkl != null && File.Exists(tinyPkl))
            {
                tiny = Path.Combine(Path.GetTempPath(), $"my3dgen-gpu-check-{Environment.ProcessId}.safetensors");
                WeightsConverter.WeightsConverter.Convert(tinyPkl, tiny);
            }
            var options = new GpuCheckOptions
            {
                Quick = parse.GetValue(quick), TinyModel = tiny,
                FixtureCase = dir == null ? null : Path.Combine(dir, "tiny_seed0_psi0.7_cam1.safetensors"),
            };
            try
            {
                int total = GpuCheck.PlannedChecks(options).Count, done = 0;
                var report = ProgressDisplay.Run(s.Output, d => GpuCheck.Run(options,
                    new ProgressDisplay.Sync<string>(name => { d.Update("gpu-check", done++, total, name); s.Output.Detail(name); }), s.Cancel));
                AtomicFile.WriteAllBytes(outPath, Encoding.UTF8.GetBytes(report.ToJson()));
                s.Output.Line(report.GpuLine);
                foreach (var c in report.Checks.Where(c => c.Status == CheckStatus.Fail)) s.Output.Line($"FAIL {c.Name}: {c.Detail}");
                foreach (var c in report.Checks.Where(c => c.Milliseconds != null))
                    s.Output.Line($"{c.Name}: {c.Milliseconds:F1} ms, {c.Gflops:F1} GFLOP/s" + (c.PercentOfPeak is { } p ? $" ({p:F0}% of peak)" : ""));
                s.Output.Line($"{report.Count(CheckStatus.Pass)} passed, {report.Count(CheckStatus.Fail)} failed, {report.Count(CheckStatus.Skipped)} skipped; wrote {outPath}");
                var json = report.ToJsonObject();
                json["out"] = Path.GetFullPath(outPath);
                s.Output.Result(json);
                return report.Ok ? ExitCodes.Ok : ExitCodes.Internal;
            }
            finally { if (tiny != null) File.Delete(tiny); }
        });
        return cmd;
    }

    /// <summary>The fixture folder: the option, else eg3d-fixture beside the executable, else tests/fixtures/eg3d under the working folder.</summary>
    static string? FixtureFolder(string? given)
    {
        if (given != null) return Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"{given}: folder not found (--fixtures)");
        foreach (var d in new[] { Path.Combine(AppContext.BaseDirectory, "eg3d-fixture"), Path.Combine("tests", "fixtures", "eg3d") })
            if (Directory.Exists(d)) return d;
        return null;
    }
}
