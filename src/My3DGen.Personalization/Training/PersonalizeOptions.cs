// Settings of one personalization run (defaults follow My3DGen: Adam lr 0.002, betas (0, 0.99), rank 1). The LoRA
// settings are one nested record (LoraOptions) so rank and alpha live in one place; Validate runs before any work.
using My3DGen.Models.Lora;

namespace My3DGen.Personalization.Training;

/// <summary>Settings of a <see cref="Personalizer"/> run. Call <see cref="Validate"/> (the trainer does) before any work.</summary>
public sealed record PersonalizeOptions
{
    /// <summary>Total optimisation steps (≥ 1). A resumed run trains until this step.</summary>
    public int Steps { get; init; } = 500;
    /// <summary>Photos per step (≥ 1); gradients of the batch-mean loss accumulate sample by sample.</summary>
    public int BatchSize { get; init; } = 1;
    /// <summary>Seed of the batch order and the depth jitter (the LoRA init has its own, <see cref="LoraOptions.Seed"/>).</summary>
    public int Seed { get; init; }
    /// <summary>Rank, alpha, init seed and fused-path mode of the LoRA set (ignored with <see cref="FullFineTune"/>).</summary>
    public LoraOptions Lora { get; init; } = new();
    /// <summary>Also train the 4K-parameter tri-plane decoder (the paper tunes it).</summary>
    public bool TrainDecoder { get; init; } = true;
    /// <summary>The paper's baseline: fine-tune every backbone, SR and decoder weight instead of LoRA.</summary>
    public bool FullFineTune { get; init; }
    /// <summary>Adam learning rate (finite, &gt; 0).</summary>
    public float LearningRate { get; init; } = 0.002f;
    /// <summary>Adam β₁ in [0, 1).</summary>
    public float Beta1 { get; init; }
    /// <summary>Adam β₂ in [0, 1).</summary>
    public float Beta2 { get; init; } = 0.99f;
    /// <summary>Neural rendering resolution of the raw image (null: the model's own; otherwise ≥ 1).</summary>
    public int? NeuralRenderingResolution { get; init; }
    /// <summary>Steps between checkpoints; 0 means never (no checkpoint file is written, not even at the end).</summary>
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Steps between preview callbacks; 0 means never.</summary>
    public int PreviewEvery { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new InvalidOptionException("--steps", $"must be ≥ 1, got {Steps}");
        if (BatchSize < 1) throw new InvalidOptionException("--batch", $"must be ≥ 1, got {BatchSize}");
        if (!FullFineTune) Lora.Validate();
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new InvalidOptionException("--lr", $"must be a finite number > 0, got {LearningRate}");
        if (!float.IsFinite(Beta1) || Beta1 is < 0 or >= 1) throw new InvalidOptionException("beta1", $"Adam β₁ must lie in [0, 1), got {Beta1}");
        if (!float.IsFinite(Beta2) || Beta2 is < 0 or >= 1) throw new InvalidOptionException("beta2", $"Adam β₂ must lie in [0, 1), got {Beta2}");
        if (NeuralRenderingResolution is < 1) throw new InvalidOptionException("neural rendering resolution", $"must be ≥ 1, got {NeuralRenderingResolution}");
        if (CheckpointEvery < 0) throw new InvalidOptionException("--checkpoint-every", $"must be ≥ 0 (0: never), got {CheckpointEvery}");
        if (PreviewEvery < 0) throw new InvalidOptionException("--preview-every", $"must be ≥ 0 (0: never), got {PreviewEvery}");
    }

    /// <summary>The fields that must agree between a checkpoint and the run resuming it (not <see cref="Steps"/>: a resumed
    /// run may train further).</summary>
    public string Fingerprint => $"seed={Seed};rank={Lora.Rank};alpha={Lora.Alpha};lora_seed={Lora.Seed};decoder={TrainDecoder};full={FullFineTune};" +
                                 $"batch={BatchSize};lr={LearningRate};b1={Beta1};b2={Beta2};nrr={NeuralRenderingResolution}";
}
