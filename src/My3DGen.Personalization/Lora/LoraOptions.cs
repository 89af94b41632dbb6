// LoRA hyper-parameters as My3DGen defines them: rank r, alpha (scaling alpha/r) and the init seed.
namespace My3DGen.Personalization.Lora;

/// <summary>Rank, alpha and seed of a LoRA adapter set. Scaling = Alpha / Rank.</summary>
public sealed record LoraOptions(int Rank = 1, float Alpha = 1f, int Seed = 0)
{
    public float Scaling => Alpha / Rank;

    public void Validate()
    {
        if (Rank < 1) throw new ArgumentException($"LoRA rank must be ≥ 1, got {Rank}");
        if (!float.IsFinite(Alpha) || Alpha <= 0) throw new ArgumentException($"LoRA alpha must be a positive number, got {Alpha}");
    }
}
