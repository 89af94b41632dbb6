// Kernel-bench rows of the modulated convolution at every EG3D ffhq512-128 shape (backbone conv0/conv1, SR blocks), up
// and plain, per batch: forward and forward+backward (gradients of x, raw weight and styles) ms and GFLOP/s of the
// modulated-conv kernel family (the default route: shared weight, demodulation as small tensor ops, fused epilogue),
// beside the composed route (per-sample weights, grouped conv / transposed conv + FIR) and, given the JSON of
// tools/modconv/torch_modconv_bench.py run on the same machine, the ratio to PyTorch. Options: --batches 1,4,
// --runs <n>, --filter <text>, --torch <json>, --device <name>, --cpu-time (process CPU time instead of wall time: the fairer
// clock on a machine shared with other jobs; pass the same flag to the PyTorch script), --kernels-only (skip the composed route).
using System.Text.Json;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;
using My3DGen.Models.Synthesis;

namespace My3DGen.Bench;

public static class ModConvBench
{
    /// <summary>(name, in, out, output resolution, up) — the same list as the PyTorch script.</summary>
    static IEnumerable<(string Name, int In, int Out, int Res, int Up)> Shapes()
    {
        yield return ("b4.conv1", 512, 512, 4, 1);
        foreach (var (res, cin, cout) in new[] { (8, 512, 512), (16, 512, 512), (32, 512, 512), (64, 512, 512), (128, 512, 256), (256, 256, 128) })
        {
            yield return ($"b{res}.conv0", cin, cout, res, 2);
            yield return ($"b{res}.conv1", cout, cout, res, 1);
        }
        yield return ("sr256.conv0", 32, 256, 256, 2);
        yield return ("sr256.conv1", 256, 256, 256, 1);
        yield return ("sr512.conv0", 256, 128, 512, 2);
        yield return ("sr512.conv1", 128, 128, 512, 1);
    }

    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        var batches = (BenchArgs.Option(args, "--batches") ?? "1,4").Split(',').Select(int.Parse).ToArray();
        int runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "3");
        string filter = BenchArgs.Option(args, "--filter") ?? "";
        var torch = LoadTorch(BenchArgs.Option(args, "--torch"));
        bool cpuTime = args.Contains("--cpu-time");
        double Time(Action a)
        {
            if (!cpuTime) return BenchTimer.Time(a);
            var p = System.Diagnostics.Process.GetCurrentProcess();
            var t0 = p.TotalProcessorTime;
            a();
            p.Refresh();
            return (p.TotalProcessorTime - t0).TotalSeconds;
        }
        Console.WriteLine($"modulated-conv bench on {backend.Name}; best of {runs} ({(cpuTime ? "process CPU time" : "wall time")}); fwd+bwd = gradients of x, weight, styles" +
            (torch.Count > 0 ? "; ratio = engine / PyTorch (same machine, tools/modconv/torch_modconv_bench.py)" : ""));
        if (args.Contains("--rules"))
        {
            Rules(backend, batches, runs, filter);
            return;
        }
        if (args.Contains("--parts"))
        {
            Parts(backend, batches, runs, filter, Time);
            return;
        }
        Console.WriteLine($"{"layer",-12} {"n",2} {"shape",-18} {"GFLOP",7} | {"fwd ms",8} {"GFLOP/s",7} {"composed",8} {"torch",8} {"ratio",5} | {"f+b ms",8} {"composed",8} {"torch",8} {"ratio",5}");
        foreach (int batch in batches)
            foreach (var s in Shapes().Where(s => s.Name.Contains(filter)))
            {
                using var scope = TensorScope.Begin();
                int h = s.Res / s.Up;
                var (x, w, st, bias, gy) = LayerTensors(backend, batch, s);
                double gflop = 2.0 * batch * s.Out * s.In * 9 * h * h / 1e9;
                var routes = args.Contains("--kernels-only") ? new[] { ModConvRoute.Kernels } : new[] { ModConvRoute.Kernels, ModConvRoute.Composed };
                var fwd = routes.ToDictionary(p => p, _ => double.MaxValue);
                var fb = routes.ToDictionary(p => p, _ => double.MaxValue);
                for (int i = 0; i <= runs; i++)   // run 0 warms up
                    foreach (var p in routes)
                        using (ModConvKernelRoute.Use(p))
                        {
                            double tf = Time(() => Forward(x, w, st, bias, s.Up, grad: false, gy));
                            double tb = Time(() => Forward(x, w, st, bias, s.Up, grad: true, gy));
                            if (i > 0) { fwd[p] = Math.Min(fwd[p], tf * 1e3); fb[p] = Math.Min(fb[p], tb * 1e3); }
                        }
                torch.TryGetValue((s.Name, batch), out var t);
                double f = fwd[ModConvRoute.Kernels], b = fb[ModConvRoute.Kernels];
                string Torch(double v) => t.Fwd > 0 ? $"{v,8:F1}" : $"{"",8}";
                string Composed(Dictionary<ModConvRoute, double> d) => d.TryGetValue(ModConvRoute.Composed, out var v) ? $"{v,8:F1}" : $"{"-",8}";
                string Ratio(double mine, double theirs) => theirs > 0 ? $"{mine / theirs,5:F2}" : $"{"",5}";
                Console.WriteLine($"{s.Name,-12} {batch,2} {$"{s.In}→{s.Out} @{s.Res} up{s.Up}",-18} {gflop,7:F2} | {f,8:F1} {gflop / (f / 1e3),7:F1} {Composed(fwd)} {Torch(t.Fwd)} {Ratio(f, t.Fwd)} | " +
                    $"{b,8:F1} {Composed(fb)} {Torch(t.FwdBwd)} {Ratio(b, t.FwdBwd)}");
            }
    }

    /// <summary>--parts: each backend primitive of the kernel family alone (no autograd, no demodulation ops), ms: the
    /// fused forward, the epilogue backward, the data gradient, the raw-weight gradient.</summary>
    static void Parts(IBackend be, int[] batches, int runs, string filter, Func<Action, double> time)
    {
        Console.WriteLine($"{"layer",-12} {"n",2} {"shape",-18} | {"forward",8} {"epi bwd",8} {"data",8} {"weight",8} (ms)");
        foreach (int batch in batches)
            foreach (var s in Shapes().Where(s => s.Name.Contains(filter)))
            {
                int h = s.Res / s.Up;
                var g = new ModConvGeometry
                {
                    N = batch, I = s.In, O = s.Out, H = h, W = h, K = 3, Up = s.Up, Gain = 1.41421356f, Slope = 0.2f, HasBias = true,
                };
                var rng = new Random(1);
                Storage Rand(long n) { var a = new float[n]; for (long i = 0; i < n; i++) a[i] = (float)rng.NextDouble() - 0.5f; var st = be.Allocate(n); be.Upload(a, st, 0); return st; }
                var (x, st, w, raw, gy) = (Rand(g.InputLength), Rand(batch * s.In), Rand(g.WeightLength), Rand(g.RawLength), Rand(g.OutputLength));
                var epi = new ModConvEpilogueInputs(Rand(batch * s.Out), Rand(s.Out), null, null);
                var y = be.Allocate(g.OutputLength);
                var (gr, gxs, gw) = (be.Allocate(g.RawLength), be.Allocate(g.InputLength), be.Allocate(g.WeightLength));
                var (gd, gb, gs) = (be.Allocate(batch * s.Out), be.Allocate(batch * s.Out), be.Allocate(batch * s.Out));
                var best = new double[4];
                Array.Fill(best, double.MaxValue);
                Action[] parts =
                [
                    () => be.ModConvForward(g, x, st, w, null, epi, raw, g.EpilogueFusable ? y : null),
                    () => { if (g.EpilogueFusable) be.ModConvEpilogueBackward(g, gy, raw, epi, gr, gd, gb, gs); },
                    () => be.ModConvBackwardData(g, raw, w, null, gxs),
                    () => be.ModConvBackwardWeights(g, raw, x, st, null, gw, null, null),
                ];
                for (int i = 0; i <= runs; i++)
                    for (int k = 0; k < parts.Length; k++)
                    {
                        double t = time(() => { parts[k](); be.Synchronize(); }) * 1e3;
                        if (i > 0) best[k] = Math.Min(best[k], t);
                    }
                Console.WriteLine($"{s.Name,-12} {batch,2} {$"{s.In}→{s.Out} @{s.Res} up{s.Up}",-18} | {best[0],8:F1} {best[1],8:F1} {best[2],8:F1} {best[3],8:F1}");
                foreach (var st2 in new[] { y, x, st, w, raw, gy, gr, gxs, gw, gd, gb, gs, epi.Demod!, epi.Bias! }) st2.Release();
            }
    }

    /// <summary>One layer's random input, raw weight, styles, bias and output gradient (same seed for every route and mode).</summary>
    static (Tensor X, Tensor W, Tensor Styles, Tensor Bias, Tensor Gy) LayerTensors(IBackend be, int batch, (string Name, int In, int Out, int Res, int Up) s)
    {
        int h = s.Res / s.Up;
        var rng = new Random(1);
        return (Tensor.Randn(be, rng, [batch, s.In, h, h]), Tensor.Randn(be, rng, [s.Out, s.In, 3, 3]), Tensor.Randn(be, rng, [batch, s.In]),
            Tensor.Randn(be, rng, [s.Out]), Tensor.Randn(be, rng, [batch, s.Out, s.Res, s.Res]));
    }

    /// <summary>--rules: the kernel route's fwd+bwd split into the forward (with gradients recorded), each backward rule
    /// by op, and the rest (leaf accumulation, releases); best of runs per part, ms.</summary>
    static void Rules(IBackend be, int[] batches, int runs, string filter)
    {
        foreach (int batch in batches)
            foreach (var s in Shapes().Where(s => s.Name.Contains(filter)))
            {
                using var scope = TensorScope.Begin();
                var (x, w, st, bias, gy) = LayerTensors(be, batch, s);
                var best = new Dictionary<string, double>();
                void Keep(string k, double v) => best[k] = Math.Min(best.GetValueOrDefault(k, double.MaxValue), v * 1e3);
                for (int i = 0; i <= runs; i++)
                {
                    var rules = new Dictionary<string, double>();
                    Backprop.RuleTimer = (op, t) => rules[op.ToString()] = rules.GetValueOrDefault(op.ToString()) + t;
                    try
                    {
                        using var inner = TensorScope.Begin();
                        var xr = x.Detach(); xr.RequiresGrad = true;
                        var wr = w.Detach(); wr.RequiresGrad = true;
                        var sr = st.Detach(); sr.RequiresGrad = true;
                        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                        var y = ModConvKernelRoute.Forward(xr, wr, null, sr, demodulate: true, s.Up, bias, 1.41421356f, 0.2f, null, null, null);
                        be.Synchronize();
                        double tf = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
                        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                        y.Backward(gy);
                        be.Synchronize();
                        double tb = System.Diagnostics.Stopwatch.GetElapsedTime(t1).TotalSeconds;
                        foreach (var leaf in new[] { xr, wr, sr }) { leaf.Grad?.Dispose(); leaf.Grad = null; }
                        if (i == 0) continue;
                        Keep("forward", tf);
                        Keep("backward", tb);
                        Keep("(outside rules)", tb - rules.Values.Sum());
                        foreach (var (k, v) in rules) Keep(k, v);
                    }
                    finally { Backprop.RuleTimer = null; }
                }
                Console.WriteLine($"{s.Name} n={batch}: " + string.Join(", ", best.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:F2}")) + " (ms, best of " + runs + ")");
            }
    }

    /// <summary>One synthesis-layer modulated conv (demodulated, bias, leaky ReLU ·√2) on the thread's route; with grad, also the
    /// backward to x, w, styles.</summary>
    static void Forward(Tensor x, Tensor w, Tensor st, Tensor bias, int up, bool grad, Tensor gy)
    {
        using var scope = TensorScope.Begin();
        Tensor Layer(Tensor xi, Tensor wi, Tensor si) => ModConvKernelRoute.Current == ModConvRoute.Kernels
            ? ModConvKernelRoute.Forward(xi, wi, null, si, demodulate: true, up, bias, 1.41421356f, 0.2f, null, null, null)
            : ModulatedConv2d.Forward(xi, wi, si, demodulate: true, up, bias, 1.41421356f).LeakyRelu(0.2f);
        if (!grad)
        {
            using var _ = GradMode.NoGrad();
            Layer(x, w, st);
            x.Backend.Synchronize();
            return;
        }
        var xr = x.Detach(); xr.RequiresGrad = true;
        var wr = w.Detach(); wr.RequiresGrad = true;
        var sr = st.Detach(); sr.RequiresGrad = true;
        Layer(xr, wr, sr).Backward(gy);
        x.Backend.Synchronize();
        foreach (var leaf in new[] { xr, wr, sr }) { leaf.Grad?.Dispose(); leaf.Grad = null; }   // as an optimiser's zero_grad
    }

    static Dictionary<(string, int), (double Fwd, double FwdBwd)> LoadTorch(string? path)
    {
        var d = new Dictionary<(string, int), (double, double)>();
        if (path == null) return d;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var r in doc.RootElement.GetProperty("rows").EnumerateArray())
            d[(r.GetProperty("name").GetString()!, r.GetProperty("batch").GetInt32())] = (r.GetProperty("fwd_ms").GetDouble(), r.GetProperty("fwd_bwd_ms").GetDouble());
        return d;
    }
}
