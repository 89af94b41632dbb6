// CPU backend: the modulated-conv kernel family (IBackend.ModConv.cs). Checks the buffers against the geometry, pins
// them and hands raw pointers to CpuModConv (forward and backward GEMMs) and ModConvEpilogueRow (the epilogue).
using System.Runtime.InteropServices;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public unsafe void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y)
    {
        g.Validate();
        if (y != null && !g.EpilogueFusable) throw new ArgumentException($"modulated conv: the epilogue of an up layer needs the FIR first ({g})");
        var e = epilogue ?? new ModConvEpilogueInputs(null, null, null, null);
        var a = Inputs(g, x, styles, weight, lora, y != null ? e : null, loraNeeded: true);
        float[] xs = a.X, ss = a.S, ws = a.W!;
        float[]? As = a.A, Bs = a.B, idx = a.Index, u = a.U, d = a.D, bias = a.Bias, noise = a.Noise;
        float[]? rs = raw == null ? null : Need(raw, g.RawLength, "raw"), ys = y == null ? null : Need(y, g.OutputLength, "y");
        fixed (float* px = xs, ps = ss, pw = ws, pa = As, pb = Bs, pi = idx, pu = u, pd = d, pbias = bias, pn = noise, pr = rs, py = ys)
        {
            var ptr = new ModConvPointers
            {
                X = px, Styles = ps, Weight = pw, A = pa, B = pb, Index = (int*)pi, Hidden = pu,
                Demod = pd, Bias = pbias, Noise = pn, Strength = a.Strength, WeightKey = weight,
            };
            CpuModConv.Forward(g, ptr, pr, py);
        }
    }

    /// <inheritdoc/>
    public unsafe void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs e, Storage y)
    {
        g.Validate();
        var a = Inputs(g, null, null, null, null, e, loraNeeded: false);
        float[] rs = Need(r, g.OutputLength, "r"), ys = Need(y, g.OutputLength, "y");
        var row = new ModConvEpilogueRow(g, a.Strength);
        var geo = g;
        int p = g.EH * g.EW;
        fixed (float* pr = rs, py = ys, pd = a.D, pbias = a.Bias, pn = a.Noise)
        {
            nint r0p = (nint)pr, y0p = (nint)py, dp = (nint)pd, bp = (nint)pbias, np = (nint)pn;
            CpuParallel.For((long)g.N * g.O, Math.Max(1, Grain / p), (r0, r1) =>
            {
                for (long rr = r0; rr < r1; rr++)
                {
                    float* noise = RowInputs(geo, rr, p, dp, bp, np, out float d, out float b);
                    row.Forward((float*)r0p + rr * p, (float*)y0p + rr * p, p, d, b, noise);
                }
            });
        }
    }

    /// <inheritdoc/>
    public unsafe void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs e, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows)
    {
        g.Validate();
        var a = Inputs(g, null, null, null, null, e, loraNeeded: false);
        long rows = (long)g.N * g.O;
        float[] gys = Need(gy, g.OutputLength, "gy"), rs = Need(r, g.OutputLength, "r"), grs = Need(gr, g.OutputLength, "gr");
        float[] gds = Need(gDemod, rows, "gDemod"), gbs = Need(gBiasRows, rows, "gBiasRows"), gss = Need(gStrengthRows, rows, "gStrengthRows");
        var row = new ModConvEpilogueRow(g, a.Strength);
        var geo = g;
        int p = g.EH * g.EW;
        fixed (float* pgy = gys, pr = rs, pgr = grs, pd = a.D, pbias = a.Bias, pn = a.Noise)
        {
            nint gyp = (nint)pgy, rp = (nint)pr, grp = (nint)pgr, dp = (nint)pd, bp = (nint)pbias, np = (nint)pn;
            CpuParallel.For(rows, Math.Max(1, Grain / p), (r0, r1) =>
            {
                for (long rr = r0; rr < r1; rr++)
                {
                    float* noise = RowInputs(geo, rr, p, dp, bp, np, out float d, out float b);
                    double sr = 0, s1 = 0, sn = 0;
                    row.Backward((float*)gyp + rr * p, (float*)rp + rr * p, (float*)grp + rr * p, p, d, b, noise, ref sr, ref s1, ref sn);
                    gds[rr] = (float)sr; gbs[rr] = (float)s1; gss[rr] = (float)sn;
                }
            });
        }
    }

    /// <summary>Demodulation, bias and noise row (returned) of epilogue row (n, o) = rr, p pixels per row.</summary>
    static unsafe float* RowInputs(in ModConvGeometry g, long rr, int p, nint d, nint bias, nint noise, out float demod, out float b)
    {
        demod = d == 0 ? 1f : ((float*)d)[rr];
        b = g.HasBias ? ((float*)bias)[rr % g.O] : 0f;
        return g.Noise switch
        {
            ModConvNoise.Shared => (float*)noise,
            ModConvNoise.PerSample => (float*)noise + rr / g.O * p,
            _ => null,
        };
    }

    /// <inheritdoc/>
    public unsafe void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs)
    {
        g.Validate();
        var a = Inputs(g, null, null, weight, lora, null, loraNeeded: true, needHidden: false);
        float[] gs = Need(graw, g.RawLength, "graw"), gx = Need(gxs, g.InputLength, "gxs");
        fixed (float* pg = gs, pgx = gx, pw = a.W, pa = a.A, pb = a.B, pi = a.Index)
        {
            var ptr = new ModConvPointers { Weight = pw, A = pa, B = pb, Index = (int*)pi, WeightKey = weight };
            CpuModConv.BackwardData(g, pg, ptr, pgx);
        }
    }

    /// <inheritdoc/>
    public unsafe void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB)
    {
        g.Validate();
        var a = Inputs(g, x, styles, null, lora, null, loraNeeded: gA != null || gB != null);
        float[] gs = Need(graw, g.RawLength, "graw");
        float[]? gw = gWeight == null ? null : Need(gWeight, g.WeightLength, "gWeight");
        float[]? ga = gA == null || g.Rank == 0 ? null : Need(gA, g.LoraALength, "gA");
        float[]? gb = gB == null || g.Rank == 0 ? null : Need(gB, g.LoraBLength, "gB");
        fixed (float* pg = gs, px = a.X, ps = a.S, pb = a.B, pi = a.Index, pu = a.U, pgw = gw, pga = ga, pgb = gb)
        {
            var ptr = new ModConvPointers { X = px, Styles = ps, B = pb, Index = (int*)pi, Hidden = pu };
            CpuModConv.BackwardWeights(g, pg, ptr, pgw, pga, pgb);
        }
    }

    /// <summary>The host arrays of one call's inputs, checked against the geometry (null where not passed or not needed).</summary>
    sealed record ModConvArrays(float[] X, float[] S, float[]? W, float[]? A, float[]? B, float[]? Index, float[]? U,
        float[]? D, float[]? Bias, float[]? Noise, float Strength);

    static ModConvArrays Inputs(in ModConvGeometry g, Storage? x, Storage? styles, Storage? weight, ModConvLora? lora,
        ModConvEpilogueInputs? e, bool loraNeeded, bool needHidden = true)
    {
        float[] xs = x == null ? [] : Need(x, g.InputLength, "x");
        float[] ss = styles == null ? [] : Need(styles, (long)g.N * g.I, "styles");
        float[]? ws = weight == null ? null : Need(weight, g.WeightLength, "weight");
        float[]? As = null, Bs = null, idx = null, u = null;
        if (g.Rank > 0 && loraNeeded)
        {
            if (lora == null) throw new ArgumentException($"modulated conv: rank {g.Rank} without LoRA inputs");
            As = Need(lora.A, g.LoraALength, "LoRA A");
            Bs = Need(lora.B, g.LoraBLength, "LoRA B");
            idx = Need(lora.Index, g.N, "LoRA index");
            if (needHidden) u = Need(lora.Hidden, g.HiddenLength, "LoRA hidden");
            foreach (int i in MemoryMarshal.Cast<float, int>(idx.AsSpan(0, g.N)))
                if ((uint)i >= (uint)g.Adapters) throw new ArgumentException($"modulated conv: adapter index {i} outside [0, {g.Adapters})");
        }
        float[]? d = null, bias = null, noise = null;
        float strength = 0f;
        if (e != null)
        {
            d = e.Demod == null ? null : Need(e.Demod, (long)g.N * g.O, "demodulation");
            if (g.HasBias) bias = Need(e.Bias ?? throw new ArgumentException("modulated conv: HasBias without a bias"), g.O, "bias");
            if (g.Noise != ModConvNoise.None)
            {
                long nl = (long)g.EH * g.EW * (g.Noise == ModConvNoise.PerSample ? g.N : 1);
                noise = Need(e.Noise ?? throw new ArgumentException($"modulated conv: noise {g.Noise} without a noise map"), nl, "noise");
                strength = e.Strength == null ? 0f : Need(e.Strength, 1, "noise strength")[0];
            }
        }
        return new ModConvArrays(xs, ss, ws, As, Bs, idx, u, d, bias, noise, strength);
    }

    /// <summary>The storage's array, at least <paramref name="count"/> floats long.</summary>
    static float[] Need(Storage s, long count, string what)
    {
        var a = D(s);
        if (a.Length < count) throw new ArgumentException($"modulated conv: {what} holds {a.Length} floats, needs {count}");
        return a;
    }
}
