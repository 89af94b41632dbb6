// Settings of the latent projector (spec algorithms.md §1, eg3d.md §10.6). Defaults are the ones My3DGen's anchors were
// made with (EG3D-projector's run_projector.py): W space, 500 steps, peak lr 0.01, W noise 0.05, optimised noise maps with
// the 1e5 pyramid regulariser, w̄/σ_w from 600 numpy RandomState(123) z's mapped with the frontal camera.
using My3DGen.Models.Lora;

namespace My3DGen.Personalization.Projection;

/// <summary>Which latent is optimised.</summary>
public enum LatentSpace
{
    /// <summary>One w [512] shared by all 14 layers (stored repeated as [1,14,512]).</summary>
    W,
    /// <summary>One w per layer, [14,512].</summary>
    WPlus,
}

/// <summary>What happens to the backbone's 13 per-layer noise maps during projection (spec §1.2 step 3, §1.4).</summary>
public enum NoiseMapMode
{
    /// <summary>Re-initialised N(0,1) per image, optimised jointly with w, renormalised after every step and regularised (EG3D-projector).</summary>
    Optimize,
    /// <summary>Re-initialised N(0,1) per image and kept fixed (the authors' fork: the regulariser then has no effect and is not added).</summary>
    Fixed,
    /// <summary>The model's stored noise_const buffers, not trained (the PTI first stage).</summary>
    Const,
}

/// <summary>The camera the mapping network is conditioned on when computing w̄ and σ_w.</summary>
public enum ConditioningCamera
{
    /// <summary>The frontal look-at camera at the model's avg_camera_pivot/radius, focal 4.2647 (EG3D-projector).</summary>
    Frontal,
    /// <summary>Each photo's own camera (anniedde/eg3d_pti_inversion).</summary>
    Target,
}

/// <summary>Settings of a <see cref="Projector"/> run. <see cref="Validate"/> runs before any work.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Length of the W-noise ramp as a fraction of the run (noise_ramp_length).</summary>
    public const double NoiseRampLength = 0.75;
    /// <summary>Cosine lr ramp-down length as a fraction of the run (lr_rampdown_length).</summary>
    public const double LrRampDownLength = 0.25;
    /// <summary>Linear lr ramp-up length as a fraction of the run (lr_rampup_length).</summary>
    public const double LrRampUpLength = 0.05;
    /// <summary>The projector's loss resolution: images larger than 256² are area-downsampled to it before LPIPS-VGG.</summary>
    public const int DefaultLossResolution = 256;
    /// <summary>numpy RandomState seed of the z's behind w̄ and σ_w.</summary>
    public const uint WStatisticsSeed = 123;
    /// <summary>Adam β₁ of the projector.</summary>
    public const float Beta1 = 0.9f;
    /// <summary>Adam β₂ of the projector.</summary>
    public const float Beta2 = 0.999f;
    /// <summary>Adam ε of the projector (PyTorch's default).</summary>
    public const float Epsilon = 1e-8f;

    /// <summary>W (default) or W+.</summary>
    public LatentSpace Space { get; init; } = LatentSpace.W;
    /// <summary>Optimisation steps T (≥ 1; default 500, the paper's).</summary>
    public int Steps { get; init; } = 500;
    /// <summary>Peak learning rate lr0 of the ramp schedule (default 0.01; the authors' fork used 0.1).</summary>
    public float LearningRate { get; init; } = 0.01f;
    /// <summary>Initial W-noise factor: ε ~ N(0,1)·σ_w·factor·max(0, 1 − t/0.75)² (default 0.05; 0 disables it).</summary>
    public float WNoiseFactor { get; init; } = 0.05f;
    /// <summary>Noise maps: optimised (default), fixed random or the model's constants.</summary>
    public NoiseMapMode NoiseMaps { get; init; } = NoiseMapMode.Optimize;
    /// <summary>Weight of the noise-map pyramid regulariser (1e5; used only with <see cref="NoiseMapMode.Optimize"/>).</summary>
    public float NoiseRegularizeWeight { get; init; } = 1e5f;
    /// <summary>Number of z samples behind w̄ and σ_w (default 600).</summary>
    public int WAvgSamples { get; init; } = 600;
    /// <summary>Camera the mapping is conditioned on for w̄ and σ_w (default frontal).</summary>
    public ConditioningCamera CondCamera { get; init; } = ConditioningCamera.Frontal;
    /// <summary>Photos optimised together per step (each with its own latent, camera, noise maps and Adam state).</summary>
    public int BatchSize { get; init; } = 1;
    /// <summary>Images larger than this are area-downsampled to it (integer factors) before LPIPS-VGG. Keep the projector's 256
    /// (<see cref="DefaultLossResolution"/>); smaller values make quick previews and the tiny-model tests affordable.</summary>
    public int LossResolution { get; init; } = DefaultLossResolution;
    /// <summary>Weight λ of an extra pixel term λ·mean((x̂ − x)²) on the full-resolution images in [-1,1] (default 0: the
    /// EG3D projector's loss is LPIPS-VGG alone). PTI's tuning and MyStyle's α projection add MSE with weight 1; a small weight
    /// keeps colours faithful when the perceptual network is weak (random weights, or photos far from the training data).</summary>
    public float MseWeight { get; init; }
    /// <summary>Seed of the noise-map initialisation and the W noise (each photo draws from its own stream, keyed by its name).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new InvalidOptionException("--steps", $"must be ≥ 1, got {Steps}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new InvalidOptionException("--lr", $"must be a finite number > 0, got {LearningRate}");
        if (!float.IsFinite(WNoiseFactor) || WNoiseFactor < 0) throw new InvalidOptionException("--w-noise", $"must be a finite number ≥ 0, got {WNoiseFactor}");
        if (!float.IsFinite(NoiseRegularizeWeight) || NoiseRegularizeWeight < 0)
            throw new InvalidOptionException("noise regularisation weight", $"must be a finite number ≥ 0, got {NoiseRegularizeWeight}");
        if (!float.IsFinite(MseWeight) || MseWeight < 0) throw new InvalidOptionException("--mse-weight", $"must be a finite number ≥ 0, got {MseWeight}");
        if (WAvgSamples < 2) throw new InvalidOptionException("--w-avg-samples", $"must be ≥ 2, got {WAvgSamples}");
        if (LossResolution < 16) throw new InvalidOptionException("loss resolution", $"must be ≥ 16, got {LossResolution}");
        if (BatchSize < 1) throw new InvalidOptionException("--batch", $"must be ≥ 1, got {BatchSize}");
        if (!Enum.IsDefined(Space)) throw new InvalidOptionException("--space", $"unknown latent space {Space}");
        if (!Enum.IsDefined(NoiseMaps)) throw new InvalidOptionException("--noise", $"unknown noise mode {NoiseMaps}");
        if (!Enum.IsDefined(CondCamera)) throw new InvalidOptionException("--cond-camera", $"unknown camera {CondCamera}");
    }

    /// <summary>A one-line ASCII description for reports and grid titles ("W, 500 steps, lr 0.01, ...").</summary>
    public string Describe() =>
        FormattableString.Invariant($"{(Space == LatentSpace.W ? "W" : "W+")}, {Steps} steps, lr {LearningRate:G4}, w-noise {WNoiseFactor:G3}, noise {NoiseMaps.ToString().ToLowerInvariant()}, w-avg from {WAvgSamples} z ({CondCamera.ToString().ToLowerInvariant()} camera), seed {Seed}{(LossResolution != DefaultLossResolution ? $", LPIPS at <={LossResolution}px" : "")}{(MseWeight > 0 ? $" + {MseWeight:G3}*MSE" : "")}");
}
