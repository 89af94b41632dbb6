// IlgpuBackend: the modulated-conv kernel family (IBackend.ModConv.cs, kernels/ModulatedConv/ModConvKernels.cs). Checks
// the storages, plans the launches with ModConvLaunchPlan (grid Y/Z ≤ 65,535, 64-bit sample offsets) and queues them;
// temporaries (gu, split-K partials, gB rows) come from the buffer cache. Kernels are compiled on first use.
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;
using AV = ILGPU.ArrayView<float>;
using AVi = ILGPU.ArrayView<int>;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    ModConvKernelSet? _modConv;
    ModConvKernelSet ModConv => _modConv ??= new ModConvKernelSet(_accelerator);

    /// <summary>Pixel chunks of the factor gradient's split-K reduction; 0 = chosen from the device (tests force a split
    /// on the CPU accelerator, where the default is no split).</summary>
    internal int ModConvChunks { get; set; }

    /// <inheritdoc/>
    public void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y)
    {
        g.Validate();
        if (raw == null && y == null) throw new ArgumentException("modulated conv forward: neither raw nor y is given", nameof(raw));
        if (y != null && !g.EpilogueFusable) throw new ArgumentException("modulated conv forward: the epilogue fuses only into plain (Up = 1) layers; apply the FIR, then ModConvEpilogue", nameof(y));
        var (xs, ss, ws) = ConvInputs(g, x, styles, weight);
        var l = LoraInputs(g, lora, hidden: true);
        var rs = raw == null ? null : Own(raw, nameof(raw));
        if (rs != null) Need(rs, 0, g.RawLength, nameof(raw));
        var ys = y == null ? null : Own(y, nameof(y));
        if (ys != null) Need(ys, 0, g.OutputLength, nameof(y));
        var e = y == null ? default : EpilogueInputs(g, epilogue ?? new ModConvEpilogueInputs(null, null, null, null));
        AV any = xs.View;
        foreach (var launch in ModConvLaunchPlan.Forward(g, raw != null, y == null ? null : e.Params, MaxGridYZ))
        {
            var cfg = TiledConfig(launch);
            if (launch.Step == ModConvStep.Hidden)
                ModConv.Forward.Value(cfg, xs.View, ss.View, l!.A.View, l.Index, any, any, l.Hidden.View, any, any, any, any, any, launch.Pass);
            else
                ModConv.Forward.Value(cfg, xs.View, ss.View, ws.View, l?.Index ?? any.Cast<int>(), l?.B.View ?? any, l?.Hidden.View ?? any,
                    rs?.View ?? any, ys?.View ?? any, e.Demod ?? any, e.Bias ?? any, e.Noise ?? any, e.Strength ?? any, launch.Pass);
        }
    }

    /// <inheritdoc/>
    public void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs epilogue, Storage y)
    {
        g.Validate();
        var rs = Own(r, nameof(r)); var ys = Own(y, nameof(y));
        Need(rs, 0, g.OutputLength, nameof(r)); Need(ys, 0, g.OutputLength, nameof(y));
        var e = EpilogueInputs(g, epilogue);
        var launch = ModConvLaunchPlan.Epilogue(g);
        AV any = rs.View;
        ModConv.Epilogue.Value(_kernels.Linear(launch.Items), rs.View, e.Demod ?? any, e.Bias ?? any, e.Noise ?? any, e.Strength ?? any,
            ys.View, e.Params, g.N * g.O);
    }

    /// <inheritdoc/>
    public void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs epilogue, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows)
    {
        g.Validate();
        var gys = Own(gy, nameof(gy)); var rs = Own(r, nameof(r)); var grs = Own(gr, nameof(gr));
        var gd = Own(gDemod, nameof(gDemod)); var gb = Own(gBiasRows, nameof(gBiasRows)); var gs = Own(gStrengthRows, nameof(gStrengthRows));
        foreach (var (s, name) in new[] { (gys, nameof(gy)), (rs, nameof(r)), (grs, nameof(gr)) }) Need(s, 0, g.OutputLength, name);
        long rows = (long)g.N * g.O;
        foreach (var (s, name) in new[] { (gd, nameof(gDemod)), (gb, nameof(gBiasRows)), (gs, nameof(gStrengthRows)) }) Need(s, 0, rows, name);
        var e = EpilogueInputs(g, epilogue);
        var launch = ModConvLaunchPlan.EpilogueBackward(g);
        AV any = rs.View;
        ModConv.EpilogueBackward.Value(RowConfig(launch.Items), gys.View, rs.View, e.Demod ?? any, e.Bias ?? any, e.Noise ?? any,
            e.Strength ?? any, grs.View, gd.View, gb.View, gs.View, e.Params, (int)rows);
    }

    /// <inheritdoc/>
    public void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs)
    {
        g.Validate();
        var gs = Own(graw, nameof(graw)); var ws = Own(weight, nameof(weight)); var gx = Own(gxs, nameof(gxs));
        Need(gs, 0, g.RawLength, nameof(graw)); Need(ws, 0, g.WeightLength, nameof(weight)); Need(gx, 0, g.InputLength, nameof(gxs));
        var l = LoraInputs(g, lora, hidden: false);
        var launches = ModConvLaunchPlan.BackwardData(g, MaxGridYZ);
        var gu = g.Rank > 0 ? Temp(g.HiddenLength) : null;
        try
        {
            AV any = gs.View;
            foreach (var launch in launches)
            {
                if (launch.Step == ModConvStep.HiddenGradient)
                    ModConv.HiddenGradient.Value(_kernels.Linear(launch.Items), gs.View, l!.B.View, l.Index, gu!.View, launch.Pass, g.N);
                else
                    ModConv.BackwardData.Value(TiledConfig(launch), gs.View, ws.View, l?.A.View ?? any, l?.Index ?? any.Cast<int>(),
                        gu?.View ?? any, gx.View, launch.Pass);
            }
        }
        finally { gu?.Release(); }
    }

    /// <inheritdoc/>
    public void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB)
    {
        g.Validate();
        var gs = Own(graw, nameof(graw)); var xs = Own(x, nameof(x)); var ss = Own(styles, nameof(styles));
        Need(gs, 0, g.RawLength, nameof(graw)); Need(xs, 0, g.InputLength, nameof(x)); Need(ss, 0, (long)g.N * g.I, nameof(styles));
        var gw = gWeight == null ? null : Own(gWeight, nameof(gWeight));
        if (gw != null) Need(gw, 0, g.WeightLength, nameof(gWeight));
        bool wantA = gA != null && g.Rank > 0, wantB = gB != null && g.Rank > 0;
        var l = wantA || wantB ? LoraInputs(g, lora, hidden: wantB) : null;
        var ga = wantA ? Own(gA!, nameof(gA)) : null;
        if (ga != null) Need(ga, 0, g.LoraALength, nameof(gA));
        var gb = wantB ? Own(gB!, nameof(gB)) : null;
        if (gb != null) Need(gb, 0, g.LoraBLength, nameof(gB));
        int target = Kind == BackendKind.IlgpuCpu ? 0 : Math.Max(1, _accelerator.NumMultiprocessors) * 8;
        var launches = ModConvLaunchPlan.BackwardWeights(g, gw != null, wantA, wantB, target, ModConvChunks, MaxGridYZ, out long partialLength);
        var gu = wantA ? Temp(g.HiddenLength) : null;
        var partial = partialLength > 0 ? Temp(partialLength) : null;
        var bRows = wantB ? Temp((long)g.N * g.O * g.Rank) : null;
        try
        {
            AV any = gs.View;
            AVi index = l?.Index ?? any.Cast<int>();
            foreach (var launch in launches)
            {
                switch (launch.Step)
                {
                    case ModConvStep.HiddenGradient:
                        ModConv.HiddenGradient.Value(_kernels.Linear(launch.Items), gs.View, l!.B.View, index, gu!.View, launch.Pass, g.N);
                        break;
                    case ModConvStep.WeightGrad:
                        ModConv.WeightGrad.Value(TiledConfig(launch), gs.View, gu?.View ?? any, xs.View, ss.View, partial!.View, launch.Pass);
                        break;
                    case ModConvStep.LoraBGrad:
                        ModConv.LoraBGrad.Value(RowConfig(launch.Items), gs.View, l!.Hidden.View, bRows!.View, launch.Pass, g.N);
                        break;
                    default:
                        var (src, dst) = launch.Step switch
                        {
                            ModConvStep.SumWeight => (partial!, gw!),
                            ModConvStep.SumLoraA => (partial!, ga!),
                            _ => (bRows!, gb!),
                        };
                        ModConv.SumSplits.Value(_kernels.Linear(launch.Items), src.View, index, dst.View, launch.Sum);
                        break;
                }
            }
        }
        finally { gu?.Release(); partial?.Release(); bRows?.Release(); }
    }

    (IlgpuStorage X, IlgpuStorage S, IlgpuStorage W) ConvInputs(in ModConvGeometry g, Storage x, Storage styles, Storage weight)
    {
        var xs = Own(x, nameof(x)); var ss = Own(styles, nameof(styles)); var ws = Own(weight, nameof(weight));
        Need(xs, 0, g.InputLength, nameof(x)); Need(ss, 0, (long)g.N * g.I, nameof(styles)); Need(ws, 0, g.WeightLength, nameof(weight));
        return (xs, ss, ws);
    }

    /// <summary>The adapter storages (null when Rank = 0); the index as int32. <paramref name="hidden"/>: u must be present.</summary>
    LoraViews? LoraInputs(in ModConvGeometry g, ModConvLora? lora, bool hidden)
    {
        if (g.Rank == 0) return null;
        if (lora == null) throw new ArgumentNullException(nameof(lora), $"modulated conv with LoRA rank {g.Rank} needs the adapter storages");
        var a = Own(lora.A, "lora.A"); var b = Own(lora.B, "lora.B"); var idx = Own(lora.Index, "lora.Index");
        Need(a, 0, g.LoraALength, "lora.A"); Need(b, 0, g.LoraBLength, "lora.B"); Need(idx, 0, g.N, "lora.Index");
        var u = hidden ? Own(lora.Hidden, "lora.Hidden") : a;
        if (hidden) Need(u, 0, g.HiddenLength, "lora.Hidden");
        return new LoraViews(a, b, idx.IntView, u);
    }

    sealed record LoraViews(IlgpuStorage A, IlgpuStorage B, AVi Index, IlgpuStorage Hidden);

    /// <summary>The epilogue inputs present (views) and the kernel constants.</summary>
    readonly record struct EpilogueViews(ModConvEpilogueParams Params, AV? Demod, AV? Bias, AV? Noise, AV? Strength);

    EpilogueViews EpilogueInputs(in ModConvGeometry g, ModConvEpilogueInputs e)
    {
        long pixels = (long)g.EH * g.EW;
        AV? View(Storage? s, long length, string name)
        {
            if (s == null) return null;
            var st = Own(s, name);
            Need(st, 0, length, name);
            return st.View;
        }
        var d = View(e.Demod, (long)g.N * g.O, "epilogue.Demod");
        if (g.HasBias && e.Bias == null) throw new ArgumentNullException("epilogue.Bias", "the geometry has a bias but none is given");
        var bias = g.HasBias ? View(e.Bias, g.O, "epilogue.Bias") : null;
        if (g.Noise != ModConvNoise.None && e.Noise == null) throw new ArgumentNullException("epilogue.Noise", $"noise {g.Noise} but no noise map is given");
        bool noisy = g.Noise != ModConvNoise.None && e.Strength != null;
        var noise = noisy ? View(e.Noise, g.Noise == ModConvNoise.PerSample ? g.N * pixels : pixels, "epilogue.Noise") : null;
        var strength = noisy ? View(e.Strength, 1, "epilogue.Strength") : null;
        return new(ModConvEpilogueParams.Of(g, d != null, bias != null, noisy), d, bias, noise, strength);
    }

    static KernelConfig TiledConfig(in ModConvLaunch l) => new(l.Grid, new Index3D(ModConvCore.Side, ModConvCore.Side, 1));

    /// <summary>One group per row: 256 threads on GPUs (32 on the CPU accelerator, whose threads are simulated).</summary>
    KernelConfig RowConfig(long rows)
    {
        bool cpu = Kind == BackendKind.IlgpuCpu;
        int group = cpu ? 32 : ModConvKernels.MaxRowGroup;
        while (group > _accelerator.MaxNumThreadsPerGroup) group /= 2;
        return new KernelConfig(ModConvLaunchPlan.RowGrid(rows, cpu ? Math.Max(1, Environment.ProcessorCount) : DeviceLimits.MaxGridYZ), group);
    }

    /// <summary>The modulated-conv kernels of one accelerator, compiled on first use.</summary>
    sealed class ModConvKernelSet(Accelerator acc)
    {
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, AVi, AV, AV, AV, AV, AV, AV, AV, AV, ModConvPass>> Forward =
            new(() => acc.LoadStreamKernel<AV, AV, AV, AVi, AV, AV, AV, AV, AV, AV, AV, AV, ModConvPass>(ModConvKernels.Forward));
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, AV, AV, AV, ModConvEpilogueParams, int>> Epilogue =
            new(() => acc.LoadStreamKernel<AV, AV, AV, AV, AV, AV, ModConvEpilogueParams, int>(ModConvKernels.Epilogue));
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, AV, AV, AV, ModConvEpilogueParams, int>> EpilogueBackward =
            new(() => acc.LoadStreamKernel<AV, AV, AV, AV, AV, AV, AV, AV, AV, AV, ModConvEpilogueParams, int>(ModConvKernels.EpilogueBackward));
        public readonly Lazy<Action<KernelConfig, AV, AV, AVi, AV, ModConvPass, int>> HiddenGradient =
            new(() => acc.LoadStreamKernel<AV, AV, AVi, AV, ModConvPass, int>(ModConvKernels.HiddenGradient));
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, AVi, AV, AV, ModConvPass>> BackwardData =
            new(() => acc.LoadStreamKernel<AV, AV, AV, AVi, AV, AV, ModConvPass>(ModConvKernels.BackwardData));
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, AV, AV, ModConvPass>> WeightGrad =
            new(() => acc.LoadStreamKernel<AV, AV, AV, AV, AV, ModConvPass>(ModConvKernels.WeightGrad));
        public readonly Lazy<Action<KernelConfig, AV, AV, AV, ModConvPass, int>> LoraBGrad =
            new(() => acc.LoadStreamKernel<AV, AV, AV, ModConvPass, int>(ModConvKernels.LoraBGrad));
        public readonly Lazy<Action<KernelConfig, AV, AVi, AV, ModConvSplitSum>> SumSplits =
            new(() => acc.LoadStreamKernel<AV, AVi, AV, ModConvSplitSum>(ModConvKernels.SumSplits));
    }
}
