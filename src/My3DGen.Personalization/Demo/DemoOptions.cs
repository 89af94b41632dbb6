// Settings of the built-in demo (sizes, steps, learning rate, seed and how far the synthetic person is from the base).
namespace My3DGen.Personalization.Demo;

/// <summary>Settings of <see cref="DemoRunner.Run"/>.</summary>
public sealed record DemoOptions
{
    /// <summary>Folder receiving the contact sheet, the loss curve, the adapter, the base generator and the person's photo folders (created if missing).</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Training renders of the synthetic person (random poses).</summary>
    public int TrainImages { get; init; } = 40;
    /// <summary>Held-out test photos of the person (new latents near the anchors, random poses in the paper's range) for `eval`.</summary>
    public int TestImages { get; init; } = 4;
    /// <summary>Distinct latent anchors the training renders cycle through.</summary>
    public int Anchors { get; init; } = 4;
    /// <summary>Optimisation steps.</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Higher than My3DGen's 0.002 so the short demo converges in minutes.</summary>
    public float LearningRate { get; init; } = 0.003f;
    /// <summary>Seed of the generator, the person, the anchors, the poses and the training run.</summary>
    public int Seed { get; init; } = 2024;
    /// <summary>Std of the hidden adapter's B factors: how far the "person" is from the base.</summary>
    public float PersonStrength { get; init; } = 0.5f;
}
