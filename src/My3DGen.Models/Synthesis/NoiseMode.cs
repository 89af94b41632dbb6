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

/// <summary>Noise mode plus the generator used for <see cref="NoiseMode.Random"/>. In <see cref="NoiseMode.Const"/> mode,
/// <paramref name="Maps"/> (layer name → [1,1,res,res] map) replaces the stored noise_const of the layers it names; the maps may
/// require grad (the projector optimises them).</summary>
internal sealed record NoiseSettings(NoiseMode Mode, Random? Rng = null, IReadOnlyDictionary<string, Engine.Tensors.Tensor>? Maps = null)
{
    public static NoiseSettings Const { get; } = new(NoiseMode.Const);
    public static NoiseSettings None { get; } = new(NoiseMode.None);
}
