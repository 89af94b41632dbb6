// The managed CPU modulated-conv kernels (CpuBackend.ModConv) against ModConvReference: forward (raw, LoRA hidden, fused
// epilogue), standalone epilogue and its backward, data and factor gradients, over K = 1/3, plain and ×2 up, with and
// without LoRA (mixed adapter index), every epilogue variant and sizes spanning several GEMM tiles; plus the adjoint
// identities and that a frozen raw weight (gWeight = null) gets no weight-gradient work.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tests.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Cpu;

public class CpuModConvTests
{
    static readonly IBackend Be = CpuBackend.Instance;

    /// <summary>A conv shape: batch, channels, size, kernel, up, LoRA rows Q and adapters with the per-sample index.</summary>
    public sealed record Conv(string Name, int N, int I, int O, int H, int W, int K, int Up, int Rank, int Adapters, int[] Index)
    {
        public override string ToString() => Name;
    }

    /// <summary>An epilogue variant.</summary>
    public sealed record Epi(string Name, ModConvNoise Noise, bool Bias, bool Demod, float Clamp, float Slope, float Gain)
    {
        public override string ToString() => Name;
    }

    static readonly Conv[] Convs =
    [
        new("k3 plain", 2, 3, 5, 6, 7, 3, 1, 0, 0, []),
        new("k1 plain lora2", 3, 4, 6, 5, 9, 1, 1, 2, 2, [1, 0, 1]),
        new("k3 plain lora3", 3, 5, 7, 7, 6, 3, 1, 3, 3, [2, 0, 2]),
        new("k3 up", 2, 3, 4, 4, 5, 3, 2, 0, 0, []),
        new("k3 up lora2", 3, 4, 5, 5, 4, 3, 2, 3, 2, [1, 0, 1]),
        // Several GEMM tiles: O = 40 (MR edges), 23×29 pixels (NR edges, several N tiles), K = 288 (two K slices).
        new("tiles k3 plain lora2", 3, 32, 40, 23, 29, 3, 1, 3, 2, [1, 0, 1]),
        new("tiles k1 plain lora2", 3, 40, 24, 17, 19, 1, 1, 1, 2, [0, 1, 1]),
        new("tiles k3 up lora2", 3, 32, 40, 11, 13, 3, 2, 3, 2, [1, 0, 1]),
        // 8×8 images, K = 216 (PaddedIm2ColPacker's whole-row copies, panels of four image rows); the other images of
        // ≤ 256 pixels above take it too, those of more pixels Im2ColPacker.
        new("8x8 k3 plain lora2", 2, 24, 20, 8, 8, 3, 1, 2, 2, [1, 0]),
        // O = 136 over few pixels: the GEMM splits the rows into blocks, each with its own copy of the LoRA side rows.
        new("row blocks k3 plain lora2", 1, 8, 136, 11, 13, 3, 1, 3, 2, [1]),
        // 64 channels at 32²: the Winograd F(4×4,3×3) route of the forward and data gradient where CpuWinograd3x3.Pays
        // (AVX-512 machines; elsewhere the same case checks the GEMM route again).
        new("winograd k3 plain lora1", 2, 64, 64, 32, 32, 3, 1, 1, 2, [1, 0]),
    ];

    static readonly Epi[] Epis =
    [
        new("linear", ModConvNoise.None, false, false, 0f, 1f, 1f),
        new("shared noise, bias, demod, clamp", ModConvNoise.Shared, true, true, 1f, 0.2f, MathF.Sqrt(2f)),
        new("per-sample noise, bias, demod", ModConvNoise.PerSample, true, true, 0f, 0.2f, MathF.Sqrt(2f)),
        new("per-sample noise, clamp", ModConvNoise.PerSample, false, false, 0.7f, 0.2f, 1f),
    ];

    static IEnumerable<Conv> ConvCases() => Convs;

    static IEnumerable<TestCaseData> ForwardCases() =>
        Convs.SelectMany(c => c.Up == 1 ? Epis.Select(e => new TestCaseData(c, e)) : [new TestCaseData(c, Epis[0])]);

    static IEnumerable<TestCaseData> EpilogueCases() =>
        new[] { Convs[0], Convs[4], Convs[5] }.SelectMany(c => Epis.Select(e => new TestCaseData(c, e)));

    /// <summary>Random inputs of one case on the host and in CPU storages.</summary>
    sealed class Setup
    {
        public readonly ModConvGeometry G;
        public readonly float[] X, S, W, A, B, D, Bias, Noise, Strength;
        public readonly int[] Index;
        public readonly Storage Xs, Ss, Ws;
        public readonly ModConvLora? Lora;
        public readonly ModConvEpilogueInputs E;

        public Setup(Conv c, Epi e, int seed)
        {
            G = new ModConvGeometry
            {
                N = c.N, I = c.I, O = c.O, H = c.H, W = c.W, K = c.K, Up = c.Up, Rank = c.Rank, Adapters = c.Adapters,
                LoraScale = 0.7f, Gain = e.Gain, Slope = e.Slope, Clamp = e.Clamp, HasBias = e.Bias, Noise = e.Noise,
            };
            X = Dev.Rand((int)G.InputLength, seed);
            S = Dev.Rand(G.N * G.I, seed + 1, 0.2f, 1.5f);
            W = Dev.Rand((int)G.WeightLength, seed + 2);
            A = Dev.Rand((int)G.LoraALength, seed + 3);
            B = Dev.Rand((int)G.LoraBLength, seed + 4);
            D = Dev.Rand(G.N * G.O, seed + 5, 0.3f, 1.2f);
            Bias = Dev.Rand(G.O, seed + 6);
            long plane = (long)G.EH * G.EW;
            Noise = Dev.Rand((int)(e.Noise == ModConvNoise.PerSample ? G.N * plane : plane), seed + 7);
            Strength = [0.3f];
            Index = c.Index;
            Xs = Be.Up(X); Ss = Be.Up(S); Ws = Be.Up(W);
            Lora = G.Rank > 0 ? new ModConvLora(Be.Up(A), Be.Up(B), Be.UpInts(Index), Be.Allocate(G.HiddenLength)) : null;
            E = new ModConvEpilogueInputs(e.Demod ? Be.Up(D) : null, e.Bias ? Be.Up(Bias) : null,
                e.Noise != ModConvNoise.None ? Be.Up(Noise) : null, Be.Up(Strength));
        }

        public ReadOnlySpan<float> Demod => E.Demod == null ? default : D;

        /// <summary>The reference hidden u and raw output.</summary>
        public (float[] U, float[] Raw) Reference()
        {
            var u = new float[G.HiddenLength];
            var raw = new float[G.RawLength];
            if (G.Rank > 0) ModConvReference.Hidden(G, X, S, A, Index, u);
            ModConvReference.Forward(G, X, S, W, B, Index, u, raw);
            return (u, raw);
        }

        public float[] ReferenceEpilogue(float[] r, bool unclamped = false)
        {
            var y = new float[G.OutputLength];
            ModConvReference.Epilogue(unclamped ? G with { Clamp = 0f } : G, r, Demod, Bias, Noise, Strength[0], y);
            return y;
        }

        /// <summary>The scale y's error is measured against: max |y| before the clamp (a clamp bounds the values, not
        /// the rounding error of the conv behind them).</summary>
        public double OutputScale(float[] raw) => ReferenceEpilogue(raw, unclamped: true).Max(v => Math.Abs((double)v));
    }

    /// <summary>|actual − expected| ≤ 1e-4·(|expected| + scale), scale = max |expected| unless given: relative to the output's scale.</summary>
    static void Close(float[] expected, float[] actual, string what, double? outputScale = null)
    {
        double scale = outputScale ?? (expected.Length == 0 ? 1 : expected.Max(v => Math.Abs((double)v)));
        double err = Dev.Close(expected, actual, 1e-4, 1e-4 * Math.Max(scale, 1e-6), what);
        TestContext.Out.WriteLine($"{what}: max error / max |expected| = {err / Math.Max(scale, 1e-30):E2}");
    }

    [TestCaseSource(nameof(ForwardCases))]
    public void Forward_MatchesReference(Conv c, Epi e)
    {
        var s = new Setup(c, e, 10);
        var (u, raw) = s.Reference();
        var rawS = Be.Allocate(s.G.RawLength);
        var yS = s.G.EpilogueFusable ? Be.Allocate(s.G.OutputLength) : null;
        Be.ModConvForward(s.G, s.Xs, s.Ss, s.Ws, s.Lora, s.E, rawS, yS);
        Close(raw, Be.Down(rawS, (int)s.G.RawLength), "raw");
        if (s.Lora != null)
        {
            Close(u, Be.Down(s.Lora.Hidden, (int)s.G.HiddenLength), "hidden");
            Be.Fill(s.Lora.Hidden, 0, s.G.HiddenLength, float.NaN);
            Be.ModConvForward(s.G, s.Xs, s.Ss, s.Ws, s.Lora, s.E, null, null);
            Close(u, Be.Down(s.Lora.Hidden, (int)s.G.HiddenLength), "hidden alone");
        }
        if (yS == null)
        {
            Assert.Throws<ArgumentException>(() => Be.ModConvForward(s.G, s.Xs, s.Ss, s.Ws, s.Lora, s.E, rawS, Be.Allocate(s.G.OutputLength)));
            return;
        }
        var y = s.ReferenceEpilogue(raw);
        Close(y, Be.Down(yS, (int)s.G.OutputLength), "y (with raw)", s.OutputScale(raw));
        // Without raw the GEMM writes y directly and the epilogue runs in place.
        var y2 = Be.Allocate(s.G.OutputLength);
        Be.ModConvForward(s.G, s.Xs, s.Ss, s.Ws, s.Lora, s.E, null, y2);
        Close(y, Be.Down(y2, (int)s.G.OutputLength), "y (no raw)", s.OutputScale(raw));
    }

    [TestCaseSource(nameof(EpilogueCases))]
    public void Epilogue_MatchesReference(Conv c, Epi e)
    {
        var s = new Setup(c, e, 20);
        var r = Dev.Rand((int)s.G.OutputLength, 21, -2f, 2f);
        var y = Be.Allocate(s.G.OutputLength);
        Be.ModConvEpilogue(s.G, Be.Up(r), s.E, y);
        Close(s.ReferenceEpilogue(r), Be.Down(y, (int)s.G.OutputLength), "y");
    }

    [TestCaseSource(nameof(EpilogueCases))]
    public void EpilogueBackward_MatchesReference(Conv c, Epi e)
    {
        var s = new Setup(c, e, 30);
        int len = (int)s.G.OutputLength, rows = s.G.N * s.G.O;
        var r = Dev.Rand(len, 31, -2f, 2f);
        var gy = Dev.Rand(len, 32);
        var (gr, gd, gb, gs) = (new float[len], new float[rows], new float[rows], new float[rows]);
        ModConvReference.EpilogueBackward(s.G, gy, r, s.Demod, s.Bias, s.Noise, s.Strength[0], gr, gd, gb, gs);
        var (grS, gdS, gbS, gsS) = (Be.Allocate(len), Be.Allocate(rows), Be.Allocate(rows), Be.Allocate(rows));
        Be.ModConvEpilogueBackward(s.G, Be.Up(gy), Be.Up(r), s.E, grS, gdS, gbS, gsS);
        Close(gr, Be.Down(grS, len), "gr");
        Close(gd, Be.Down(gdS, rows), "gDemod");
        Close(gb, Be.Down(gbS, rows), "gBiasRows");
        Close(gs, Be.Down(gsS, rows), "gStrengthRows");
    }

    [TestCaseSource(nameof(ConvCases))]
    public void BackwardData_MatchesReference(Conv c)
    {
        var s = new Setup(c, Epis[0], 40);
        var graw = Dev.Rand((int)s.G.RawLength, 41);
        var want = new float[s.G.InputLength];
        ModConvReference.BackwardData(s.G, graw, s.W, s.A, s.B, s.Index, want);
        var gxs = Be.Up(Enumerable.Repeat(float.NaN, (int)s.G.InputLength).ToArray());
        Be.ModConvBackwardData(s.G, Be.Up(graw), s.Ws, s.Lora, gxs);
        Close(want, Be.Down(gxs, (int)s.G.InputLength), "gxs");
    }

    [TestCaseSource(nameof(ConvCases))]
    public void BackwardWeights_AccumulateAsReference(Conv c)
    {
        var s = new Setup(c, Epis[0], 50);
        var (u, _) = s.Reference();
        if (s.Lora != null) Be.Upload(u, s.Lora.Hidden, 0);
        var graw = Dev.Rand((int)s.G.RawLength, 51);
        // Start from non-zero gradients: the primitive accumulates.
        var gw = Dev.Rand((int)s.G.WeightLength, 52);
        var ga = Dev.Rand((int)s.G.LoraALength, 53);
        var gb = Dev.Rand((int)s.G.LoraBLength, 54);
        var (gwS, gaS, gbS) = (Be.Up(gw), Be.Up(ga), Be.Up(gb));
        ModConvReference.BackwardWeights(s.G, graw, s.X, s.S, s.B, s.Index, u, gw, ga, gb);
        Be.ModConvBackwardWeights(s.G, Be.Up(graw), s.Xs, s.Ss, s.Lora, gwS, s.Lora != null ? gaS : null, s.Lora != null ? gbS : null);
        Close(gw, Be.Down(gwS, gw.Length), "gWeight");
        if (s.Lora == null) return;
        Close(ga, Be.Down(gaS, ga.Length), "gA");
        Close(gb, Be.Down(gbS, gb.Length), "gB");
    }

    /// <summary>The GEMM-packed (gathered) weights follow each micro-kernel's panel height: forward and data gradient of a
    /// plain and an up case with every kernel this CPU supports.</summary>
    [Test]
    public void EveryMicroKernel_MatchesReference()
    {
        var saved = SimdGemmMicroKernel.Active;
        try
        {
            foreach (var kernel in SimdGemmMicroKernel.Supported())
            {
                SimdGemmMicroKernel.Active = kernel;
                foreach (var c in new[] { Convs[5], Convs[7] })
                {
                    var s = new Setup(c, Epis[2], 80);
                    var (_, raw) = s.Reference();
                    var rawS = Be.Allocate(s.G.RawLength);
                    Be.ModConvForward(s.G, s.Xs, s.Ss, s.Ws, s.Lora, s.E, rawS, null);
                    Close(raw, Be.Down(rawS, (int)s.G.RawLength), $"{kernel.Name} {c} raw");
                    var graw = Dev.Rand((int)s.G.RawLength, 81);
                    var want = new float[s.G.InputLength];
                    ModConvReference.BackwardData(s.G, graw, s.W, s.A, s.B, s.Index, want);
                    var gxs = Be.Allocate(s.G.InputLength);
                    Be.ModConvBackwardData(s.G, Be.Up(graw), s.Ws, s.Lora, gxs);
                    Close(want, Be.Down(gxs, (int)s.G.InputLength), $"{kernel.Name} {c} gxs");
                }
            }
        }
        finally { SimdGemmMicroKernel.Active = saved; }
    }

    /// <summary>raw is linear in xs, in W and bilinear in (A, B): ⟨graw, raw⟩ = ⟨gxs, xs⟩ = ⟨gW, W⟩ + ⟨gB, B⟩ and ⟨gA, A⟩ = ⟨gB, B⟩.</summary>
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(7)]
    public void Gradients_SatisfyAdjointIdentities(int caseIndex)
    {
        var s = new Setup(Convs[caseIndex], Epis[0], 60);
        var g = s.G;
        var rawS = Be.Allocate(g.RawLength);
        Be.ModConvForward(g, s.Xs, s.Ss, s.Ws, s.Lora, null, rawS, null);
        var raw = Be.Down(rawS, (int)g.RawLength);
        var graw = Dev.Rand((int)g.RawLength, 61);
        var gxsS = Be.Allocate(g.InputLength);
        Be.ModConvBackwardData(g, Be.Up(graw), s.Ws, s.Lora, gxsS);
        var gxs = Be.Down(gxsS, (int)g.InputLength);
        var xs = new float[g.InputLength];
        for (int i = 0; i < xs.Length; i++) xs[i] = s.X[i] * s.S[i / (g.H * g.W)];
        var (gwS, gaS, gbS) = (Be.Up(new float[g.WeightLength]), Be.Up(new float[g.LoraALength]), Be.Up(new float[g.LoraBLength]));
        Be.ModConvBackwardWeights(g, Be.Up(graw), s.Xs, s.Ss, s.Lora, gwS, gaS, gbS);
        double lhs = CpuTestData.Dot(graw, raw), scale = Math.Sqrt(CpuTestData.Dot(graw, graw) * CpuTestData.Dot(raw, raw));
        double wTerm = CpuTestData.Dot(Be.Down(gwS, (int)g.WeightLength), s.W);
        double aTerm = CpuTestData.Dot(Be.Down(gaS, (int)g.LoraALength), s.A), bTerm = CpuTestData.Dot(Be.Down(gbS, (int)g.LoraBLength), s.B);
        Assert.That(CpuTestData.Dot(gxs, xs), Is.EqualTo(lhs).Within(1e-5 * scale), "<graw, raw> = <gxs, xs>");
        Assert.That(wTerm + bTerm, Is.EqualTo(lhs).Within(1e-5 * scale), "<graw, raw> = <gW, W> + <gB, B>");
        Assert.That(aTerm, Is.EqualTo(bTerm).Within(1e-5 * scale), "<gA, A> = <gB, B>");
    }

    /// <summary>LoRA training passes gWeight = null: no raw-weight gradient runs, and the adapter gradients are the same.</summary>
    [TestCase(4)]
    [TestCase(5)]
    public void NullWeightGradient_DoesNoWeightWork(int caseIndex)
    {
        var s = new Setup(Convs[caseIndex], Epis[0], 70);
        var g = s.G;
        Be.ModConvForward(g, s.Xs, s.Ss, s.Ws, s.Lora, null, null, null);
        var graw = Be.Up(Dev.Rand((int)g.RawLength, 71));
        var (gaFull, gbFull) = (Be.Up(new float[g.LoraALength]), Be.Up(new float[g.LoraBLength]));
        Be.ModConvBackwardWeights(g, graw, s.Xs, s.Ss, s.Lora, Be.Allocate(g.WeightLength), gaFull, gbFull);
        int runs = CpuModConv.WeightGradientRuns;
        var (ga, gb) = (Be.Up(new float[g.LoraALength]), Be.Up(new float[g.LoraBLength]));
        Be.ModConvBackwardWeights(g, graw, s.Xs, s.Ss, s.Lora, null, ga, gb);
        Assert.That(CpuModConv.WeightGradientRuns, Is.EqualTo(runs), "weight-gradient runs with gWeight = null");
        Assert.That(Be.Down(ga, (int)g.LoraALength), Is.EqualTo(Be.Down(gaFull, (int)g.LoraALength)), "gA");
        Assert.That(Be.Down(gb, (int)g.LoraBLength), Is.EqualTo(Be.Down(gbFull, (int)g.LoraBLength)), "gB");
    }
}
