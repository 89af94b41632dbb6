// One modulated-conv test case (geometry, adapter index, which epilogue inputs exist) with seeded random inputs, and the
// ModConvReference results every primitive is compared against.
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

/// <summary>A named geometry with its adapter index per sample and whether d is given.</summary>
public sealed record ModConvCase(string Name, ModConvGeometry G, int[] Index, bool Demod)
{
    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>A geometry with the synthesis-layer epilogue defaults (gain √2, slope 0.2) unless overridden.</summary>
    public static ModConvGeometry Geo(int n, int i, int o, int h, int w, int k, int up, int rank = 0, int adapters = 0,
        ModConvNoise noise = ModConvNoise.None, bool bias = true, float clamp = 0f, float slope = 0.2f, float gain = 1.41421356f) => new()
    {
        N = n, I = i, O = o, H = h, W = w, K = k, Up = up, Rank = rank, Adapters = adapters, LoraScale = rank > 0 ? 0.75f : 0f,
        Gain = gain, Slope = slope, Clamp = clamp, HasBias = bias, Noise = noise,
    };
}

/// <summary>Seeded inputs of a <see cref="ModConvCase"/> and its reference outputs.</summary>
public sealed class ModConvData
{
    public readonly ModConvGeometry G;
    public readonly int[] Index;
    public readonly float[] X, S, W, A, B, D, Bias, Noise, Strength, Graw, Gy, R;
    /// <summary>Reference hidden u, raw output and (plain layers) fused y.</summary>
    public readonly float[] U, Raw, Y;

    public ModConvData(ModConvCase c, int seed = 1)
    {
        var g = G = c.G;
        Index = c.Index;
        X = Dev.Rand((int)g.InputLength, seed);
        S = Dev.Rand(g.N * g.I, seed + 1, 0.5f, 1.5f);
        W = Dev.Rand((int)g.WeightLength, seed + 2);
        A = Dev.Rand((int)g.LoraALength, seed + 3);
        B = Dev.Rand((int)g.LoraBLength, seed + 4);
        D = c.Demod ? Dev.Rand(g.N * g.O, seed + 5, 0.2f, 0.6f) : [];
        Bias = g.HasBias ? Dev.Rand(g.O, seed + 6) : [];
        long noisePixels = (long)g.EH * g.EW * (g.Noise == ModConvNoise.PerSample ? g.N : 1);
        Noise = g.Noise != ModConvNoise.None ? Dev.Rand((int)noisePixels, seed + 7) : [];
        Strength = [0.7f];
        Graw = Dev.Rand((int)g.RawLength, seed + 8);
        Gy = Dev.Rand((int)g.OutputLength, seed + 9);
        R = Dev.Rand((int)g.OutputLength, seed + 10, -2f, 2f);
        U = new float[g.HiddenLength];
        Raw = new float[g.RawLength];
        if (g.Rank > 0) ModConvReference.Hidden(g, X, S, A, Index, U);
        ModConvReference.Forward(g, X, S, W, B, Index, U, Raw);
        Y = new float[g.EpilogueFusable ? g.OutputLength : 0];
        if (g.EpilogueFusable) ModConvReference.Epilogue(g, Raw, D, Bias, Noise, Strength[0], Y);
    }
}
