// Per-layer noise of the StyleGAN2 synthesis layers: EG3D's 'const' (stored noise_const buffers),
// 'random' (fresh N(0,1) maps, here from a seeded generator) or 'none'.
namespace My3DGen.Models.Synthesis;

public enum NoiseMode { Const, Random, None }

/// <summary>Noise mode plus the generator used for <see cref="NoiseMode.Random"/>.</summary>
public sealed record NoiseSettings(NoiseMode Mode, Random? Rng = null)
{
    public static NoiseSettings Const { get; } = new(NoiseMode.Const);
    public static NoiseSettings None { get; } = new(NoiseMode.None);
}
