// LoRA hyper-parameters as My3DGen defines them, in the one record that owns them: rank r, alpha (scaling
// alpha/r), the init seed, and which modulated-conv path trains the factors (fused or W0 + ΔW).
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Lora;

/// <summary>Rank, alpha and init seed of a LoRA adapter set. Scaling = Alpha / Rank.</summary>
/// <param name="Rank">LoRA rank r ≥ 1 (a 3×3 conv's factors are A [r·3, I·9], B [O, r·3]).</param>
/// <param name="Alpha">LoRA alpha &gt; 0; the adapter's delta is scaled by Alpha / Rank.</param>
/// <param name="Seed">Seed of the A factors' initialisation (B starts at zero).</param>
public sealed record LoraOptions(int Rank = 1, float Alpha = 1f, int Seed = 0)
{
    /// <summary>Alpha / Rank, the factor applied to B·A.</summary>
    public float Scaling => Alpha / Rank;

    /// <summary>Where the factors being trained are applied inside the modulated conv without forming ΔW
    /// (see <see cref="FusedLoraMode"/>) on the composed reference route; the default kernel route always computes
    /// W0 ⊛ x + (α/r)·B·(A ⊛ x) inside the modulated-conv kernels. Changes speed and memory only, never the result
    /// beyond float rounding.</summary>
    public FusedLoraMode Fused { get; init; } = FusedLoraMode.Auto;

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Rank < 1) throw new InvalidOptionException("--rank", $"the LoRA rank must be ≥ 1, got {Rank}");
        if (!float.IsFinite(Alpha) || Alpha <= 0) throw new InvalidOptionException("--alpha", $"the LoRA alpha must be a positive number, got {Alpha}");
        if (!Enum.IsDefined(Fused)) throw new InvalidOptionException("fused", $"unknown fused LoRA mode {(int)Fused}");
    }
}
