// gpu-check's kernel table: every ILGPU kernel (each unary/binary operator, both reductions, the three GEMM kernels,
// im2col/col2im conv forward and both backwards, the modulated-conv family (ModConvParityChecks), CSR resampling,
// pooling, index select/add, Adam, fill, copy) run on the device and on the managed CPU backend with the same inputs,
// at a small and a realistic size.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Personalization.Diagnostics;

/// <summary>One kernel case: the same computation on any backend, returning its output on the host.</summary>
internal sealed record KernelCase(string Name, double Tolerance, Action<IlgpuBackend>? Setup, Func<IBackend, float[]> Run);

/// <summary>The kernel parity cases and their comparison.</summary>
internal static class KernelParityChecks
{
    /// <summary>Every case at the small size and, unless <paramref name="quick"/>, at the realistic size.</summary>
    public static IEnumerable<KernelCase> Cases(bool quick)
    {
        foreach (var (size, n, m, conv) in Sizes(quick))
        {
            foreach (var op in Enum.GetValues<UnaryOp>())
            {
                var (a, b) = UnaryArgs(op);
                yield return new($"kernel/unary-{op}/{size}", 1e-5, null, be => Unary(be, op, n, a, b, grad: false));
                yield return new($"kernel/unary-grad-{op}/{size}", 1e-4, null, be => Unary(be, op, n, a, b, grad: true));
            }
            foreach (var op in Enum.GetValues<BinaryOp>())
                yield return new($"kernel/binary-{op}/{size}", 1e-5, null, be => Binary(be, op, n));
            foreach (var kind in new[] { ReduceKernelKind.RowLoop, ReduceKernelKind.Tree })
                foreach (var op in Enum.GetValues<ReduceOp>())
                    yield return new($"kernel/reduce-{kind}-{op}/{size}", 1e-4, d => d.ReduceKernel = kind, be => Reduce(be, op, m, n / m));
            foreach (var kind in new[] { GemmKernelKind.Naive, GemmKernelKind.Tiled16, GemmKernelKind.Blocked64 })
                yield return new($"kernel/gemm-{kind}/{size}", 1e-4, d => d.GemmKernel = kind, be => Gemm(be, m + 3, m + 1, m - 1));
            yield return new($"kernel/conv2d-forward/{size}", 1e-4, null, be => Conv(be, conv, 0));
            yield return new($"kernel/conv2d-backward-input/{size}", 1e-4, null, be => Conv(be, conv, 1));
            yield return new($"kernel/conv2d-backward-weight/{size}", 1e-4, null, be => Conv(be, conv, 2));
            foreach (var c in ModConvParityChecks.Cases(size)) yield return c;
            yield return new($"kernel/axis-weights/{size}", 1e-5, null, be => AxisWeightsCase(be, m, n / m));
            foreach (var kind in Enum.GetValues<PoolKind>())
            {
                yield return new($"kernel/pool-{kind}/{size}", 1e-6, null, be => Pool(be, kind, m, grad: false));
                yield return new($"kernel/pool-grad-{kind}/{size}", 1e-6, null, be => Pool(be, kind, m, grad: true));
            }
            yield return new($"kernel/index-select/{size}", 0, null, be => Index(be, n / m, m, add: false));
            yield return new($"kernel/index-add/{size}", 1e-5, null, be => Index(be, n / m, m, add: true));
            yield return new($"kernel/adam/{size}", 1e-5, null, be => Adam(be, n));
            yield return new($"kernel/fill-copy/{size}", 0, null, be => FillCopy(be, n));
        }
    }

    static IEnumerable<(string Size, int N, int M, ConvGeometry Conv)> Sizes(bool quick)
    {
        yield return ("small", 1_000, 40, new ConvGeometry(2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1));
        if (!quick) yield return ("realistic", 1 << 18, 256, new ConvGeometry(1, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1, 1));
    }

    /// <summary>Largest |device − cpu| / max(1, |cpu|) (NaN must meet NaN, infinities must match).</summary>
    public static double MaxError(float[] cpu, float[] dev)
    {
        if (cpu.Length != dev.Length) return double.PositiveInfinity;
        double worst = 0;
        for (int i = 0; i < cpu.Length; i++)
        {
            float e = cpu[i], a = dev[i];
            if (float.IsNaN(e) || float.IsNaN(a)) { if (float.IsNaN(e) != float.IsNaN(a)) return double.PositiveInfinity; continue; }
            if (float.IsInfinity(e) || float.IsInfinity(a)) { if (e != a) return double.PositiveInfinity; continue; }
            worst = Math.Max(worst, Math.Abs((double)a - e) / Math.Max(1.0, Math.Abs((double)e)));
        }
        return worst;
    }

    static (float A, float B) UnaryArgs(UnaryOp op) => op switch
    {
        UnaryOp.LeakyRelu => (0.2f, 0f), UnaryOp.Softplus => (1f, 20f), UnaryOp.Clamp => (-0.5f, 0.5f),
        UnaryOp.PowScalar => (2f, 0f), UnaryOp.Affine => (1.5f, -0.25f), _ => (0f, 0f),
    };

    static float[] Rand(int n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * (float)r.NextDouble()).ToArray();
    }

    static Storage Up(IBackend be, float[] data) { var s = be.Allocate(data.Length); be.Upload(data, s, 0); return s; }

    static float[] Down(IBackend be, Storage s, long n) { var a = new float[n]; be.Download(s, 0, a); return a; }

    /// <summary>Runs <paramref name="body"/> over freshly uploaded buffers and releases them all.</summary>
    static float[] With(IBackend be, float[][] inputs, Func<Storage[], float[]> body)
    {
        var st = inputs.Select(i => Up(be, i)).ToArray();
        try { return body(st); }
        finally { foreach (var s in st) s.Release(); }
    }

    static float[] Unary(IBackend be, UnaryOp op, int n, float a, float b, bool grad)
    {
        bool positive = op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.PowScalar;
        var x = Rand(n, 1, positive ? 0.1f : -3f, 3f);
        return With(be, [x, new float[n], Rand(n, 2), new float[n]], s =>
        {
            be.Unary(op, s[0], 0, s[1], 0, n, a, b);
            if (!grad) return Down(be, s[1], n);
            be.UnaryGrad(op, s[0], s[1], s[2], s[3], n, a, b);
            return Down(be, s[3], n);
        });
    }

    static float[] Binary(IBackend be, BinaryOp op, int n)
    {
        int rows = 8, cols = n / rows;
        // a [rows, cols] against b broadcast along rows ([1, cols]): the strided-view path of the kernel.
        var a = Rand(rows * cols, 3, op == BinaryOp.Pow ? 0.1f : -2f, 2f);
        var b = Rand(cols, 4, op == BinaryOp.Div ? 0.5f : -2f, 2f);
        return With(be, [a, b, new float[rows * cols]], s =>
        {
            be.Binary(op, s[0], KernelView.Create([rows, cols], [cols, 1], 0), s[1], KernelView.Create([rows, cols], [0, 1], 0), s[2], rows * cols);
            return Down(be, s[2], rows * cols);
        });
    }

    static float[] Reduce(IBackend be, ReduceOp op, int outer, int inner) =>
        With(be, [Rand(outer * inner, 5), new float[outer]], s => { be.ReduceLastAxis(op, s[0], 0, outer, inner, s[1]); return Down(be, s[1], outer); });

    static float[] Gemm(IBackend be, int m, int n, int k)
    {
        var p = GemmParams.Create(false, true, m, n, k, 1.5f, 0, k, m * k, 0, k, n * k, 0.5f, 0, n, m * n, batch: 2);
        return With(be, [Rand(2 * m * k, 6), Rand(2 * n * k, 7), Rand(2 * m * n, 8)], s => { be.Gemm(p, s[0], s[1], s[2]); return Down(be, s[2], 2L * m * n); });
    }

    static float[] Conv(IBackend be, ConvGeometry g, int which)
    {
        var x = Rand((int)g.InputLength, 9); var w = Rand((int)g.WeightLength, 10); var y = Rand((int)g.OutputLength, 11);
        return With(be, [x, w, y, Rand(g.O, 12)], s =>
        {
            switch (which)
            {
                case 0: be.Conv2dForward(g, s[0], s[1], s[3], s[2]); return Down(be, s[2], g.OutputLength);
                case 1: be.Conv2dBackwardInput(g, s[2], s[1], s[0], accumulate: true); return Down(be, s[0], g.InputLength);
                default: be.Conv2dBackwardWeight(g, s[2], s[0], s[1], accumulate: false); return Down(be, s[1], g.WeightLength);
            }
        });
    }

    static float[] AxisWeightsCase(IBackend be, int outer, int inner)
    {
        int inLen = 8, outLen = 13;
        var rows = new int[outLen + 1]; var idx = new List<int>(); var wts = new List<float>();
        for (int r = 0; r < outLen; r++)
        {
            float src = (r + 0.5f) * inLen / outLen - 0.5f;
            int i0 = Math.Clamp((int)MathF.Floor(src), 0, inLen - 1), i1 = Math.Min(i0 + 1, inLen - 1);
            float f = Math.Clamp(src - i0, 0f, 1f);
            idx.Add(i0); wts.Add(1 - f); idx.Add(i1); wts.Add(f);
            rows[r + 1] = idx.Count;
        }
        var aw = new AxisWeights(inLen, outLen, rows, idx.ToArray(), wts.ToArray());
        int o = Math.Max(1, outer / 4);
        return With(be, [Rand(o * inLen * inner, 13), new float[o * outLen * inner]], s =>
        { be.ApplyAxisWeights(s[0], o, inner, aw, s[1]); return Down(be, s[1], (long)o * outLen * inner); });
    }

    static float[] Pool(IBackend be, PoolKind kind, int side, bool grad)
    {
        var g = new PoolGeometry(4, side, side, 3, 3, 2, 2, 1, 1);
        return With(be, [Rand(g.InCount, 14), new float[g.OutCount], new float[g.OutCount], Rand(g.OutCount, 15), new float[g.InCount]], s =>
        {
            var argmax = kind == PoolKind.Max ? s[2] : null;
            be.Pool2d(kind, g, s[0], s[1], argmax);
            if (!grad) return Down(be, s[1], g.OutCount);
            be.Pool2dGrad(kind, g, s[3], argmax, s[4]);
            return Down(be, s[4], g.InCount);
        });
    }

    static float[] Index(IBackend be, int outer, int inner, bool add)
    {
        int axis = 9, count = 17;
        var idx = Enumerable.Range(0, count).Select(j => (j * 5) % axis).ToArray();   // duplicates included
        var idxBits = idx.Select(BitConverter.Int32BitsToSingle).ToArray();
        return With(be, [Rand(outer * axis * inner, 16), idxBits, Rand(outer * count * inner, 17), Rand(outer * axis * inner, 18)], s =>
        {
            if (!add) { be.IndexSelect(s[0], outer, axis, inner, s[1], count, s[2]); return Down(be, s[2], (long)outer * count * inner); }
            be.IndexAdd(s[2], outer, axis, inner, s[1], count, s[3]);
            return Down(be, s[3], (long)outer * axis * inner);
        });
    }

    static float[] Adam(IBackend be, int n)
    {
        var args = AdamParams.Create(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
        return With(be, [Rand(n, 19), Rand(n, 20), Rand(n, 21), Rand(n, 22, 0f, 1f)], s =>
        {
            be.AdamStep(args, s[0], s[1], s[2], s[3], n);
            return [.. Down(be, s[0], n), .. Down(be, s[2], n), .. Down(be, s[3], n)];
        });
    }

    static float[] FillCopy(IBackend be, int n)
    {
        int rows = 10, cols = n / rows;
        return With(be, [Rand(rows * cols, 23), new float[rows * cols]], s =>
        {
            be.Fill(s[1], 0, rows * cols, 7f);
            // Transposing copy: the strided-view path.
            be.Copy(s[0], KernelView.Create([cols, rows], [1, cols], 0), s[1], KernelView.Create([cols, rows], [rows, 1], 0));
            return Down(be, s[1], rows * cols);
        });
    }

    /// <summary>Runs one case on the device and the managed CPU backend and compares.</summary>
    public static CheckResult Check(KernelCase c, IlgpuBackend device)
    {
        var gemm = device.GemmKernel; var reduce = device.ReduceKernel;
        try
        {
            c.Setup?.Invoke(device);
            var want = c.Run(CpuBackend.Instance);
            var got = c.Run(device);
            double err = MaxError(want, got);
            return new CheckResult(c.Name, err <= c.Tolerance ? CheckStatus.Pass : CheckStatus.Fail,
                $"{got.Length:N0} values vs the managed CPU backend", err, c.Tolerance);
        }
        catch (Exception e) { return new CheckResult(c.Name, CheckStatus.Fail, $"{e.GetType().Name}: {e.Message}"); }
        finally { device.GemmKernel = gemm; device.ReduceKernel = reduce; }
    }
}
