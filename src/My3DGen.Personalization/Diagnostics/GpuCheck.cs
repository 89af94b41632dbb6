// `my3dgen gpu-check` as a library service: picks the device (CUDA > OpenCL > the ILGPU CPU accelerator, saying so when
// there is no GPU), runs the kernel parity table, the tiny generator against the PyTorch fixture, and times the full-size
// forward, a training step and the conv kernels (GFLOP/s, % of the fp32 peak when known). Returns one GpuCheckReport.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;
using My3DGen.Models;
using My3DGen.Models.Perceptual;

namespace My3DGen.Personalization.Diagnostics;

/// <summary>What gpu-check runs.</summary>
public sealed record GpuCheckOptions
{
    /// <summary>Small sizes only and no full-size timings (seconds instead of minutes; for tests).</summary>
    public bool Quick { get; init; }
    /// <summary>The tiny EG3D generator as safetensors (converted from tests/fixtures/eg3d/eg3d-tiny.pkl); null skips the fixture check.</summary>
    public string? TinyModel { get; init; }
    /// <summary>The PyTorch reference case (tiny_seed0_psi0.7_cam1.safetensors); null skips the fixture check.</summary>
    public string? FixtureCase { get; init; }
    /// <summary>Timed repetitions per timing (best kept).</summary>
    public int Runs { get; init; } = 2;
}

/// <summary>Runs every GPU-readiness check and returns the report.</summary>
public static class GpuCheck
{
    /// <summary>The names of every check <see cref="Run"/> reports for <paramref name="options"/>, in order.</summary>
    public static IReadOnlyList<string> PlannedChecks(GpuCheckOptions options) =>
        [.. KernelParityChecks.Cases(options.Quick).Select(c => c.Name), "model/tiny-generator-vs-pytorch", .. TimingNames];

    static readonly string[] TimingNames = ["timing/conv/backbone-512ch-64x64", "timing/conv/sr-128ch-256x256", "timing/conv/sr-64ch-512x512",
        "timing/forward-512", "timing/training-step"];

    /// <summary>Runs the checks; <paramref name="progress"/> receives each check's name before it starts.</summary>
    public static GpuCheckReport Run(GpuCheckOptions options, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        var (device, line) = PickDevice();
        bool gpu = device.Kind is BackendKind.Cuda or BackendKind.OpenCL;
        var checks = new List<CheckResult>();
        try
        {
            foreach (var c in KernelParityChecks.Cases(options.Quick))
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(c.Name);
                checks.Add(KernelParityChecks.Check(c, device));
            }
            cancel.ThrowIfCancellationRequested();
            progress?.Report("model/tiny-generator-vs-pytorch");
            checks.Add(TinyGenerator(device, options));
            // Timings: on the GPU when there is one; otherwise on the managed CPU backend (the CPU accelerator simulates threads).
            IBackend timing = gpu ? device : CpuBackend.Instance;
            double? peak = gpu ? PeakOf(device) : null;
            foreach (var t in Timings(timing, peak, options, progress, cancel)) checks.Add(t);
            return new GpuCheckReport(device.Name, gpu, line, timing.Name, peak, checks);
        }
        finally { device.Dispose(); }
    }

    /// <summary>CUDA, else OpenCL, else the ILGPU CPU accelerator with a line that says there is no GPU and why.</summary>
    static (IlgpuBackend Device, string Line) PickDevice()
    {
        var cuda = IlgpuBackend.TryCreate(BackendKind.Cuda);
        if (cuda != null) return (cuda, $"GPU: {cuda.Name}");
        string why = IlgpuBackend.LastCreateError ?? "none found";
        var cl = IlgpuBackend.TryCreate(BackendKind.OpenCL);
        if (cl != null) return (cl, $"GPU: {cl.Name} (no CUDA: {why})");
        var cpu = IlgpuBackend.TryCreate(BackendKind.IlgpuCpu) ?? throw new InvalidOperationException("the ILGPU CPU accelerator could not be created");
        return (cpu, $"no GPU: {why}; {IlgpuBackend.LastCreateError ?? "OpenCL: none found"}. Kernels ran on the ILGPU CPU accelerator, timings on the managed CPU backend.");
    }

    static double? PeakOf(IlgpuBackend device) =>
        device.Accelerator is ILGPU.Runtime.Cuda.CudaAccelerator c ? IlgpuBackend.Fp32PeakGflops(c.Architecture, c.NumMultiprocessors, c.ClockRate) : null;

    /// <summary>The tiny generator on the device against PyTorch's ws, image_raw, image_depth and image (ψ 0.7, camera 1).</summary>
    static CheckResult TinyGenerator(IBackend device, GpuCheckOptions o)
    {
        const string name = "model/tiny-generator-vs-pytorch";
        if (o.TinyModel == null || o.FixtureCase == null || !File.Exists(o.TinyModel) || !File.Exists(o.FixtureCase))
            return new CheckResult(name, CheckStatus.Skipped, "fixture not found (tests/fixtures/eg3d: eg3d-tiny.pkl and tiny_seed0_psi0.7_cam1.safetensors)");
        try
        {
            using var reference = SafeTensorsFile.Open(o.FixtureCase);
            using var g = Eg3dGenerator.Load(o.TinyModel, device);
            using var scope = TensorScope.Begin();
            using var _ = GradMode.NoGrad();
            Tensor In(string key) => Tensor.FromArray(device, reference.ReadFloat32(key), reference.Info(key).Shape);
            var ws = g.Mapping(In("input.z"), In("input.c_cond"), reference.ReadFloat32("input.truncation_psi")[0], 14);
            var res = g.Synthesize(ws, In("input.c"), new SynthesisOptions { Deterministic = true });
            var errors = new[] { ("ws", ws), ("image_raw", res.ImageRaw), ("image_depth", res.ImageDepth), ("image", res.Image) }
                .Select(p => (p.Item1, Err: KernelParityChecks.MaxError(reference.ReadFloat32(p.Item1), p.Item2.ToArray()))).ToList();
            double worst = errors.Max(e => e.Err);
            const double tol = 1e-3;
            return new CheckResult(name, worst <= tol ? CheckStatus.Pass : CheckStatus.Fail,
                string.Join(", ", errors.Select(e => $"{e.Item1} {e.Err:E1}")) + " (max |Δ| / max(1, |ref|))", worst, tol);
        }
        catch (Exception e) { return new CheckResult(name, CheckStatus.Fail, $"{e.GetType().Name}: {e.Message}"); }
    }

    /// <summary>Best-of-N wall time of the EG3D conv shapes, the full-size forward and a training step.</summary>
    static IEnumerable<CheckResult> Timings(IBackend be, double? peak, GpuCheckOptions o, IProgress<string>? progress, CancellationToken cancel)
    {
        string where = be.Name;
        // EG3D's modulated conv shapes (per sample: 3×3, channels, resolution): backbone 512 ch at 64², SR 128 ch at 256² and 64 ch at 512².
        var convs = new[] { ("conv/backbone-512ch-64x64", new ConvGeometry(1, 512, 64, 64, 512, 3, 3, 1, 1, 1, 1, 1)),
                            ("conv/sr-128ch-256x256", new ConvGeometry(1, 128, 256, 256, 128, 3, 3, 1, 1, 1, 1, 1)),
                            ("conv/sr-64ch-512x512", new ConvGeometry(1, 64, 512, 512, 64, 3, 3, 1, 1, 1, 1, 1)) };
        foreach (var (name, g) in convs)
        {
            cancel.ThrowIfCancellationRequested();
            progress?.Report("timing/" + name);
            if (o.Quick) { yield return new CheckResult("timing/" + name, CheckStatus.Skipped, "quick run: no full-size timings"); continue; }
            yield return Time("timing/" + name, be, peak, g.Flops, o.Runs, $"conv2d forward {g.C}→{g.O} 3×3 at {g.H}² on {where}", () =>
            {
                var x = be.Allocate(g.InputLength); var w = be.Allocate(g.WeightLength); var y = be.Allocate(g.OutputLength);
                be.Fill(x, 0, g.InputLength, 0.5f); be.Fill(w, 0, g.WeightLength, 0.01f);
                return () => { be.Conv2dForward(g, x, w, null, y); be.Synchronize(); };
            });
        }
        cancel.ThrowIfCancellationRequested();
        progress?.Report("timing/forward-512");
        if (o.Quick)
        {
            yield return new CheckResult("timing/forward-512", CheckStatus.Skipped, "quick run: no full-size timings");
            yield return new CheckResult("timing/training-step", CheckStatus.Skipped, "quick run: no full-size timings");
            yield break;
        }
        using var gen = Ffhq512Workloads.Generator(be);
        var (ws, cams) = Ffhq512Workloads.Inputs(gen, 1);
        yield return Time("timing/forward-512", be, peak, 507e9, o.Runs, $"ffhq512-128 forward, batch 1, no grad, on {where} (507 GFLOP by the counting backend)", () =>
            () => { using var s = TensorScope.Begin(); Ffhq512Workloads.Forward(gen, ws, cams, withGrad: false); be.Synchronize(); });
        cancel.ThrowIfCancellationRequested();
        progress?.Report("timing/training-step");
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 0, be);
        using var trainer = Ffhq512Workloads.Trainer(gen, lpips, 1);
        yield return Time("timing/training-step", be, peak, 1514e9, o.Runs, $"personalization step (LoRA r=1 + decoder, MSE + LPIPS), batch 1, on {where}", () =>
            () => { trainer.TrainStep(); be.Synchronize(); });
    }

    /// <summary>Runs <paramref name="setup"/>'s action once to warm up, then <paramref name="runs"/> times; best time and rate.</summary>
    static CheckResult Time(string name, IBackend be, double? peak, double flops, int runs, string detail, Func<Action> setup)
    {
        try
        {
            var run = setup();
            run();
            double best = double.MaxValue;
            for (int i = 0; i < Math.Max(1, runs); i++)
            {
                var sw = Stopwatch.StartNew();
                run();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            double gflops = flops / (best * 1e-3) / 1e9;
            return new CheckResult(name, CheckStatus.Pass, detail, Milliseconds: best, Gflops: gflops, PercentOfPeak: peak is { } p ? 100 * gflops / p : null);
        }
        catch (Exception e) { return new CheckResult(name, CheckStatus.Fail, $"{e.GetType().Name}: {e.Message}"); }
    }
}
