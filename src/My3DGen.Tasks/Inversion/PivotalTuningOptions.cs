// Settings of PTI's second stage (spec algorithms.md §2): 350 Adam steps at lr 3e-4 on MSE + LPIPS-alex of the pivot's
// render from the photo's camera against the photo, at full resolution (512² on EG3D). The tuning is a LoRA set of its
// own (rank, alpha) stacked on the person's merged adapter, or every generator weight (Full) as the original PTI does.
using My3DGen.Models.Lora;

namespace My3DGen.Tasks.Inversion;

/// <summary>Settings of a <see cref="PivotalTuner"/>.</summary>
public sealed record PivotalTuningOptions
{
    /// <summary>Tuning steps (PTI's max_pti_steps, 350).</summary>
    public int Steps { get; init; } = 350;
    /// <summary>Adam learning rate (PTI's pti_learning_rate, 3e-4).</summary>
    public float LearningRate { get; init; } = 3e-4f;
    /// <summary>Rank of the stacked tuning adapter (ignored with <see cref="Full"/>).</summary>
    public int Rank { get; init; } = 1;
    /// <summary>LoRA alpha of the tuning adapter (scaling alpha / rank).</summary>
    public float Alpha { get; init; } = 1f;
    /// <summary>Tune every backbone and super-resolution weight (PTI as published) instead of a stacked LoRA set.</summary>
    public bool Full { get; init; }
    /// <summary>Weight of the MSE term (λ_L2 = 1).</summary>
    public float MseWeight { get; init; } = 1f;
    /// <summary>Weight of the LPIPS-alex term (λ_LP = 1).</summary>
    public float LpipsWeight { get; init; } = 1f;
    /// <summary>Images larger than this are area-downsampled (integer factor) before LPIPS-alex; 512 keeps EG3D's full resolution.</summary>
    public int LossResolution { get; init; } = 512;
    /// <summary>Seed of the tuning adapter's A factors.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Steps < 0) throw new InvalidOptionException("--tune-steps", $"must be ≥ 0, got {Steps}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new InvalidOptionException("--tune-lr", $"must be a finite number > 0, got {LearningRate}");
        if (!Full) new LoraOptions(Rank, Alpha, Seed).Validate();
        if (!float.IsFinite(MseWeight) || MseWeight < 0) throw new InvalidOptionException("MSE weight", $"must be ≥ 0, got {MseWeight}");
        if (!float.IsFinite(LpipsWeight) || LpipsWeight < 0) throw new InvalidOptionException("LPIPS weight", $"must be ≥ 0, got {LpipsWeight}");
        if (LossResolution < 16) throw new InvalidOptionException("loss resolution", $"must be ≥ 16, got {LossResolution}");
    }

    /// <summary>One line for reports.</summary>
    public string Describe() => FormattableString.Invariant(
        $"{(Full ? "all weights" : $"stacked LoRA rank {Rank}, alpha {Alpha:G3}")}, {Steps} steps, Adam lr {LearningRate:G3}, {MseWeight:G3}·MSE + {LpipsWeight:G3}·LPIPS-alex");
}
