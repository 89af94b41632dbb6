// Per-layer noise of the StyleGAN2 synthesis layers: EG3D's 'const' (stored noise_const buffers),
// 'random' (fresh N(0,1) maps, here from a seeded generator) or 'none'.
namespace My3DGen.Models.Synthesis;

/// <summary>Per-layer noise of the synthesis layers (StyleGAN2 noise_mode).</summary>
public enum NoiseMode
{
    /// <summary>The stored noise_const buffers (reproducible; the default here).</summary>
    Const,
    /// <summary>Fresh Gaussian noise from a seeded generator.</summary>
    Random,
    /// <summary>No noise.</summary>
    None,
}

/// <summary>Noise mode plus the generator used for <see cref="NoiseMode.Random"/>.</summary>
internal sealed record NoiseSettings(NoiseMode Mode, Random? Rng = null)
{
    public static NoiseSettings Const { get; } = new(NoiseMode.Const);
    public static NoiseSettings None { get; } = new(NoiseMode.None);
}
