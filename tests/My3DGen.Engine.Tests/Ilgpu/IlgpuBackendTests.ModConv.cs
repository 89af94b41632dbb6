// The modulated-conv kernels (ModConvKernels) against ModConvReference: every primitive over plain/up, K = 1/3, LoRA
// with mixed adapter indices, every noise layout, clamp/bias/demod on and off, tiles that do not divide the sizes, the
// adjoint identity of the input gradient, and launches cut at a lowered grid-Y/Z limit with a split-K factor gradient.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;
using static My3DGen.Engine.Tests.Ilgpu.ModConvCase;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    static IEnumerable<ModConvCase> ModConvCases() =>
    [
        new("plain 3x3, LoRA 2 adapters [1,0,1], shared noise, clamp, demod",
            Geo(3, 5, 6, 7, 6, 3, 1, rank: 3, adapters: 2, noise: ModConvNoise.Shared, clamp: 0.8f), [1, 0, 1], true),
        new("plain 1x1, no LoRA, linear, no bias/noise/demod", Geo(2, 4, 3, 5, 9, 1, 1, bias: false, slope: 1f, gain: 1f), [0, 0], false),
        new("plain 1x1, LoRA 3 adapters [2,0], per-sample noise, demod", Geo(2, 3, 5, 4, 4, 1, 1, rank: 1, adapters: 3, noise: ModConvNoise.PerSample), [2, 0], true),
        new("up 3x3, LoRA 3 adapters [2,0,2], per-sample noise, clamp, demod",
            Geo(3, 4, 5, 4, 5, 3, 2, rank: 3, adapters: 3, noise: ModConvNoise.PerSample, clamp: 1f), [2, 0, 2], true),
        new("up 3x3, no LoRA, shared noise, no bias", Geo(1, 3, 2, 3, 3, 3, 2, noise: ModConvNoise.Shared, bias: false), [0], false),
        new("plain 3x3 multi-tile (O 70, 81 px, K 180), LoRA [1,0]", Geo(2, 20, 70, 9, 9, 3, 1, rank: 2, adapters: 2, clamp: 2f), [1, 0], true),
        new("up 3x3 multi-tile (O 66, 17² raw), LoRA [0,1]", Geo(2, 6, 66, 8, 8, 3, 2, rank: 3, adapters: 2, noise: ModConvNoise.Shared), [0, 1], true),
    ];

    [TestCaseSource(nameof(ModConvCases))]
    public void ModConv_EveryPrimitive_MatchesReference(ModConvCase c) => CheckModConv(new ModConvData(c));

    [Test]
    public void ModConv_LaunchesCutAtTheGridLimit_AndSplitK_MatchReference()
    {
        // On the CPU accelerator the limit is lowered to 1 row tile / 1 z per launch (the GPU runs the real one), and the
        // factor gradient is split into 3 pixel chunks, so every pass crosses several launches with rebased offsets.
        bool cpu = B.Kind == BackendKind.IlgpuCpu;
        int limit = cpu ? 1 : DeviceLimits.MaxGridYZ;
        var c = new ModConvCase("up 3x3 multi-tile at the limit", Geo(2, 6, 66, 8, 8, 3, 2, rank: 3, adapters: 2), [1, 0], true);
        var plan = ModConvLaunchPlan.Forward(c.G, true, null, limit);
        if (cpu) Assert.That(plan.Count(l => l.Step == ModConvStep.Forward), Is.EqualTo(2 * 2 * 4), "row tiles × samples × classes launches");
        Assert.That(plan.Max(l => Math.Max(l.Grid.Y, l.Grid.Z)), Is.LessThanOrEqualTo(limit));
        B.MaxGridYZ = limit;
        B.ModConvChunks = 3;
        try { CheckModConv(new ModConvData(c, seed: 7)); }
        finally { B.MaxGridYZ = DeviceLimits.MaxGridYZ; B.ModConvChunks = 0; }
    }

    /// <summary>|Δ| ≤ 1e-4·max(1, max|want|) elementwise; returns the largest |Δ| / max(1, max|want|).</summary>
    static double Rel(float[] want, float[] got, string what)
    {
        double scale = Math.Max(1, want.Length == 0 ? 0 : want.Max(v => Math.Abs((double)v)));
        double err = Dev.Close(want, got, 0, 1e-4 * scale, what) / scale;
        TestContext.Out.WriteLine($"{what}: relative error {err:E2}");
        return err;
    }

    void CheckModConv(ModConvData d)
    {
        var g = d.G;
        string tag = $"N{g.N} I{g.I} O{g.O} {g.H}x{g.W} k{g.K} up{g.Up} r{g.Rank}";
        Storage? Opt(float[] v) => v.Length == 0 ? null : B.Up(v);
        var x = B.Up(d.X); var s = B.Up(d.S); var w = B.Up(d.W);
        var a = Opt(d.A); var bm = Opt(d.B); var idx = B.UpInts(d.Index); var u = B.Allocate(Math.Max(1, g.HiddenLength));
        var lora = g.Rank > 0 ? new ModConvLora(a!, bm!, idx, u) : null;
        var epi = new ModConvEpilogueInputs(Opt(d.D), Opt(d.Bias), Opt(d.Noise), B.Up(d.Strength));
        var raw = B.Allocate(g.RawLength);
        var y = g.EpilogueFusable ? B.Allocate(g.OutputLength) : null;
        var all = new List<Storage?> { x, s, w, a, bm, idx, u, epi.Demod, epi.Bias, epi.Noise, epi.Strength, raw, y };
        try
        {
            // Forward: hidden, raw and (plain) the fused epilogue; then y alone without raw.
            B.ModConvForward(g, x, s, w, lora, epi, raw, y);
            if (g.Rank > 0) Rel(d.U, B.Down(u, d.U.Length), "hidden u " + tag);
            var gotRaw = B.Down(raw, d.Raw.Length);
            Rel(d.Raw, gotRaw, "raw " + tag);
            if (y != null)
            {
                Rel(d.Y, B.Down(y, d.Y.Length), "fused y " + tag);
                B.Fill(y, 0, g.OutputLength, float.NaN);
                B.ModConvForward(g, x, s, w, lora, epi, null, y);
                Rel(d.Y, B.Down(y, d.Y.Length), "fused y without raw " + tag);
            }

            // Standalone epilogue and its backward on r at the final resolution.
            var r = B.Up(d.R); var ye = B.Allocate(g.OutputLength); var gy = B.Up(d.Gy); var gr = B.Allocate(g.OutputLength);
            int rows = g.N * g.O;
            var gd = B.Allocate(rows); var gbr = B.Allocate(rows); var gsr = B.Allocate(rows);
            all.AddRange([r, ye, gy, gr, gd, gbr, gsr]);
            B.ModConvEpilogue(g, r, epi, ye);
            var wantY = new float[g.OutputLength];
            ModConvReference.Epilogue(g, d.R, d.D, d.Bias, d.Noise, d.Strength[0], wantY);
            Rel(wantY, B.Down(ye, wantY.Length), "epilogue " + tag);
            B.ModConvEpilogueBackward(g, gy, r, epi, gr, gd, gbr, gsr);
            float[] wGr = new float[g.OutputLength], wGd = new float[rows], wGb = new float[rows], wGs = new float[rows];
            ModConvReference.EpilogueBackward(g, d.Gy, d.R, d.D, d.Bias, d.Noise, d.Strength[0], wGr, wGd, wGb, wGs);
            Rel(wGr, B.Down(gr, wGr.Length), "epilogue backward gr " + tag);
            Rel(wGd, B.Down(gd, rows), "epilogue backward gDemod " + tag);
            Rel(wGb, B.Down(gbr, rows), "epilogue backward gBiasRows " + tag);
            Rel(wGs, B.Down(gsr, rows), "epilogue backward gStrengthRows " + tag);

            // Input gradient, and the adjoint identity <raw(xs), graw> = <xs, gxs>.
            var graw = B.Up(d.Graw); var gxs = B.Allocate(g.InputLength);
            all.AddRange([graw, gxs]);
            B.ModConvBackwardData(g, graw, w, lora, gxs);
            var wantGxs = new float[g.InputLength];
            ModConvReference.BackwardData(g, d.Graw, d.W, d.A, d.B, d.Index, wantGxs);
            var gotGxs = B.Down(gxs, wantGxs.Length);
            Rel(wantGxs, gotGxs, "backward data " + tag);
            double lhs = 0, rhs = 0;
            for (int i = 0; i < gotRaw.Length; i++) lhs += (double)gotRaw[i] * d.Graw[i];
            int hw = g.H * g.W;
            for (int i = 0; i < gotGxs.Length; i++) rhs += (double)d.S[i / hw] * d.X[i] * gotGxs[i];
            Assert.That(rhs, Is.EqualTo(lhs).Within(1e-4 * Math.Max(1, Math.Abs(lhs))), "adjoint identity " + tag);

            // Factor gradients accumulate (+=) onto existing values; then the LoRA-only call (gWeight null).
            var gw0 = Dev.Rand((int)g.WeightLength, 41); var ga0 = Dev.Rand((int)g.LoraALength, 42); var gb0 = Dev.Rand((int)g.LoraBLength, 43);
            var gw = B.Up(gw0); var ga = Opt(ga0); var gb = Opt(gb0);
            all.AddRange([gw, ga, gb]);
            B.ModConvBackwardWeights(g, graw, x, s, lora, gw, ga, gb);
            float[] wGw = (float[])gw0.Clone(), wGa = (float[])ga0.Clone(), wGb2 = (float[])gb0.Clone();
            ModConvReference.BackwardWeights(g, d.Graw, d.X, d.S, d.B, d.Index, d.U, wGw, wGa, wGb2);
            Rel(wGw, B.Down(gw, wGw.Length), "backward weights gW " + tag);
            if (g.Rank == 0) return;
            Rel(wGa, B.Down(ga!, wGa.Length), "backward weights gA " + tag);
            Rel(wGb2, B.Down(gb!, wGb2.Length), "backward weights gB " + tag);
            B.Upload(ga0, ga!, 0); B.Upload(gb0, gb!, 0);
            B.ModConvBackwardWeights(g, graw, x, s, lora, null, ga, gb);
            Rel(wGa, B.Down(ga!, wGa.Length), "LoRA-only gA " + tag);
            Rel(wGb2, B.Down(gb!, wGb2.Length), "LoRA-only gB " + tag);
        }
        finally { Release([.. all]); }
    }
}
