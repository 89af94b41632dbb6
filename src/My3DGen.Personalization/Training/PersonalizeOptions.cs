// Settings of one personalization run (defaults follow My3DGen: Adam lr 0.002, betas (0, 0.99), rank 1).
namespace My3DGen.Personalization.Training;

public sealed record PersonalizeOptions
{
    public int Steps { get; init; } = 500;
    public int BatchSize { get; init; } = 1;
    public int Seed { get; init; }
    public int Rank { get; init; } = 1;
    public float Alpha { get; init; } = 1f;
    /// <summary>Also train the 4K-parameter tri-plane decoder (the paper tunes it).</summary>
    public bool TrainDecoder { get; init; } = true;
    /// <summary>The paper's baseline: fine-tune every backbone, SR and decoder weight instead of LoRA.</summary>
    public bool FullFineTune { get; init; }
    public float LearningRate { get; init; } = 0.002f;
    public float Beta1 { get; init; }
    public float Beta2 { get; init; } = 0.99f;
    /// <summary>Neural rendering resolution of the raw image (null: the model's own).</summary>
    public int? NeuralRenderingResolution { get; init; }
    /// <summary>Steps between checkpoints (0: never).</summary>
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Steps between preview grid / loss curve PNGs (0: never).</summary>
    public int PreviewEvery { get; init; }

    public void Validate()
    {
        if (Steps < 0) throw new ArgumentException($"--steps must be ≥ 0, got {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be ≥ 1, got {BatchSize}");
        if (Rank < 1) throw new ArgumentException($"--rank must be ≥ 1, got {Rank}");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be positive, got {LearningRate}");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException($"Adam betas must lie in [0, 1), got ({Beta1}, {Beta2})");
        if (CheckpointEvery < 0 || PreviewEvery < 0) throw new ArgumentException("--checkpoint-every and --preview-every must be ≥ 0");
    }

    /// <summary>The fields that must agree between a checkpoint and the run resuming it.</summary>
    public string Fingerprint => $"seed={Seed};rank={Rank};alpha={Alpha};decoder={TrainDecoder};full={FullFineTune};batch={BatchSize};lr={LearningRate};b1={Beta1};b2={Beta2};nrr={NeuralRenderingResolution}";
}

/// <summary>Progress of one step, reported through IProgress.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, float Loss, float Mse128, float Mse512, float Lpips128, float Lpips512,
    double StepsPerSecond, TimeSpan Eta);
