// gpu-check's modulated-conv rows: every primitive of the kernel family (forward plain with the fused epilogue and up,
// the standalone epilogue and its backward, the input gradient and the factor gradients, plain and up) with a rank-1
// LoRA and two adapters in a mixed batch, on the device and on the managed CPU backend, at a small and a realistic size.
using My3DGen.Engine.Backends;
using My3DGen.Kernels;

namespace My3DGen.Personalization.Diagnostics;

/// <summary>The modulated-conv kernel cases of <see cref="KernelParityChecks"/>.</summary>
internal static class ModConvParityChecks
{
    /// <summary>The cases at <paramref name="size"/> ("small" or "realistic").</summary>
    public static IEnumerable<KernelCase> Cases(string size)
    {
        foreach (int up in new[] { 1, 2 })
        {
            var g = Geometry(size, up);
            string kind = up == 1 ? "plain" : "up";
            yield return new($"kernel/modconv-forward-{kind}/{size}", 1e-4, null, be => Forward(be, g));
            yield return new($"kernel/modconv-backward-data-{kind}/{size}", 1e-4, null, be => BackwardData(be, g));
            yield return new($"kernel/modconv-backward-weights-{kind}/{size}", 1e-4, null, be => BackwardWeights(be, g));
        }
        var e = Geometry(size, 2);
        yield return new($"kernel/modconv-epilogue/{size}", 1e-5, null, be => Epilogue(be, e, backward: false));
        yield return new($"kernel/modconv-epilogue-backward/{size}", 1e-4, null, be => Epilogue(be, e, backward: true));
    }

    /// <summary>Small: 2 samples, 5→6 channels at 7×6 (tiles not filled). Realistic: 2 samples, 128→128 channels at 32²
    /// (plain) or 16² → 33² (up): several 64×64 tiles in every GEMM dimension. LoRA rank 1 (Q = 3), adapters [1, 0].</summary>
    static ModConvGeometry Geometry(string size, int up)
    {
        bool small = size == "small";
        int side = small ? 7 : up == 1 ? 32 : 16;
        return new ModConvGeometry
        {
            N = 2, I = small ? 5 : 128, O = small ? 6 : 128, H = side, W = small ? 6 : side, K = 3, Up = up, Rank = 3, Adapters = 2,
            LoraScale = 0.5f, Gain = MathF.Sqrt(2), Slope = 0.2f, Clamp = 1.5f, HasBias = true, Noise = ModConvNoise.PerSample,
        };
    }

    static readonly float[] IndexBits = [BitConverter.Int32BitsToSingle(1), BitConverter.Int32BitsToSingle(0)];

    static float[] Rand(long n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (long i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float)r.NextDouble();
        return a;
    }

    /// <summary>Uploads the inputs, runs <paramref name="body"/>, downloads the named outputs and releases everything.</summary>
    static float[] With(IBackend be, float[][] inputs, Func<Storage[], Storage[]> body)
    {
        var st = inputs.Select(i => { var s = be.Allocate(i.Length); be.Upload(i, s, 0); return s; }).ToArray();
        try
        {
            var outputs = body(st);
            return outputs.SelectMany(o => { var a = new float[o.Length]; be.Download(o, 0, a); return a; }).ToArray();
        }
        finally { foreach (var s in st) s.Release(); }
    }

    // Inputs shared by the conv cases: 0 x, 1 styles, 2 W, 3 A, 4 B, 5 index, 6 u, 7 d, 8 bias, 9 noise, 10 strength.
    static float[][] ConvInputs(in ModConvGeometry g) =>
    [
        Rand(g.InputLength, 1), Rand((long)g.N * g.I, 2, 0.5f, 1.5f), Rand(g.WeightLength, 3, -0.1f, 0.1f), Rand(g.LoraALength, 4, -0.1f, 0.1f),
        Rand(g.LoraBLength, 5), IndexBits, new float[g.HiddenLength], Rand((long)g.N * g.O, 6, 0.2f, 0.6f), Rand(g.O, 7),
        Rand((long)g.N * g.EH * g.EW, 8), [0.3f],
    ];

    static ModConvLora Lora(Storage[] s) => new(s[3], s[4], s[5], s[6]);
    static ModConvEpilogueInputs Epi(Storage[] s) => new(s[7], s[8], s[9], s[10]);

    static float[] Forward(IBackend be, ModConvGeometry g) =>
        With(be, [.. ConvInputs(g), new float[g.RawLength], new float[g.OutputLength]], s =>
        {
            be.ModConvForward(g, s[0], s[1], s[2], Lora(s), Epi(s), s[11], g.EpilogueFusable ? s[12] : null);
            return g.EpilogueFusable ? [s[6], s[11], s[12]] : [s[6], s[11]];
        });

    static float[] BackwardData(IBackend be, ModConvGeometry g) =>
        With(be, [.. ConvInputs(g), Rand(g.RawLength, 9), new float[g.InputLength]], s =>
        {
            be.ModConvBackwardData(g, s[11], s[2], Lora(s), s[12]);
            return [s[12]];
        });

    static float[] BackwardWeights(IBackend be, ModConvGeometry g) =>
        With(be, [.. ConvInputs(g), Rand(g.RawLength, 10), Rand(g.WeightLength, 11), Rand(g.LoraALength, 12), Rand(g.LoraBLength, 13)], s =>
        {
            be.ModConvForward(g, s[0], s[1], s[2], Lora(s), null, s[11], null);   // the hidden u the B gradient reads
            be.Upload(Rand(g.RawLength, 10), s[11], 0);
            be.ModConvBackwardWeights(g, s[11], s[0], s[1], Lora(s), s[12], s[13], s[14]);
            return [s[12], s[13], s[14]];
        });

    static float[] Epilogue(IBackend be, ModConvGeometry g, bool backward) =>
        With(be, [.. ConvInputs(g), Rand(g.OutputLength, 14, -2f, 2f), Rand(g.OutputLength, 15), new float[g.OutputLength],
            new float[(long)g.N * g.O], new float[(long)g.N * g.O], new float[(long)g.N * g.O]], s =>
        {
            if (!backward) { be.ModConvEpilogue(g, s[11], Epi(s), s[13]); return [s[13]]; }
            be.ModConvEpilogueBackward(g, s[12], s[11], Epi(s), s[13], s[14], s[15], s[16]);
            return [s[13], s[14], s[15], s[16]];
        });
}
