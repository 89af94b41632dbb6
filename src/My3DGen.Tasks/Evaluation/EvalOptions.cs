// The counts of the evaluation protocol: the paper's (600 projection + 350 PTI steps per test photo, 1000 α⁺ steps per
// restoration, 10 θ per anchor pair, 30 P0 samples, diversity at 256²) or the quick preset that scales them down.
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Evaluation;

/// <summary>How much of each experiment <see cref="EvalService"/> runs.</summary>
public sealed record EvalOptions
{
    /// <summary>Test photos inverted per model (Fig. 3); null = all.</summary>
    public int? InversionPhotos { get; init; }
    /// <summary>PTI stage 1 (default: W, 600 steps, const noise, as `invert`).</summary>
    public ProjectionOptions Projection { get; init; } = new() { Steps = 600, NoiseMaps = NoiseMapMode.Const };
    /// <summary>PTI stage 2 (default: rank-1 stacked LoRA, 350 steps).</summary>
    public PivotalTuningOptions Tuning { get; init; } = new();
    /// <summary>Frames of each inversion's orbit GIF.</summary>
    public int OrbitFrames { get; init; } = 24;
    /// <summary>The α⁺ projection of inpainting and super-resolution (Fig. 6; MyStyle: 1000 steps, Adam 5e-3, β 0.03).</summary>
    public AlphaPlusOptions Restoration { get; init; } = new();
    /// <summary>Side of the low-resolution input of super-resolution (the paper: 32², from 512²).</summary>
    public int SuperResolutionSide { get; init; } = 32;
    /// <summary>Anchor pairs interpolated per model (Fig. 4): anchors (0, 1), (2, 3), … (indices modulo N).</summary>
    public int InterpolationPairs { get; init; } = 5;
    /// <summary>θ values per pair, equally spaced in [0, 1] (the paper: 10).</summary>
    public int InterpolationSteps { get; init; } = 10;
    /// <summary>Random views per θ (yaw ±0.35, pitch ±0.25 rad), the same for every model.</summary>
    public int InterpolationViews { get; init; } = 4;
    /// <summary>P0 samples per model (Fig. 5; MyStyle: 30), the same latents for every model.</summary>
    public int SynthesisSamples { get; init; } = 30;
    /// <summary>Random views per sample.</summary>
    public int SynthesisViews { get; init; } = 3;
    /// <summary>Side the diversity metric resizes images to (Ojha et al.: 256).</summary>
    public int DiversitySize { get; init; } = 256;
    /// <summary>Training photos used as the diversity metric's clusters, evenly spaced over the dataset; null = all (Ojha et al.).</summary>
    public int? DiversityClusters { get; init; }
    /// <summary>Seed of the views and P0 samples (the sampler's MyStyle default 2).</summary>
    public int Seed { get; init; } = Latents.P0Sampler.DefaultSeed;

    /// <summary>The paper's protocol.</summary>
    public static EvalOptions Paper { get; } = new();

    /// <summary>Every count scaled down for a smoke run in minutes on a CPU: 1 test photo with 12 + 12 steps (w̄ from 64 z's,
    /// loss at 64²), 12 α⁺ steps for inpainting and super-resolution, 1 pair × 5 θ × 2 views, 8 samples × 2 views, diversity at 64² around 4 training photos.</summary>
    public static EvalOptions Quick { get; } = new()
    {
        InversionPhotos = 1,
        Projection = new ProjectionOptions { Steps = 12, NoiseMaps = NoiseMapMode.Const, WAvgSamples = 64, LossResolution = 64 },
        Tuning = new PivotalTuningOptions { Steps = 12, LossResolution = 64 },
        Restoration = new AlphaPlusOptions { Steps = 12 },
        OrbitFrames = 4, InterpolationPairs = 1, InterpolationSteps = 5, InterpolationViews = 2,
        SynthesisSamples = 8, SynthesisViews = 2, DiversitySize = 64, DiversityClusters = 4,
    };

    /// <summary>One line for reports.</summary>
    public string Describe() => FormattableString.Invariant(
        $"inversion: {(InversionPhotos is int n ? $"{n}" : "all")} test photo(s), stage 1 {Projection.Describe()}; stage 2 {Tuning.Describe()}; ") + FormattableString.Invariant(
        $"inpainting (centred box) and super-resolution from {SuperResolutionSide}^2: {Restoration.Describe()}; ") + FormattableString.Invariant(
        $"interpolation: {InterpolationPairs} pair(s) x {InterpolationSteps} θ x {InterpolationViews} view(s); synthesis: {SynthesisSamples} sample(s) x {SynthesisViews} view(s), seed {Seed}; ") + FormattableString.Invariant(
        $"diversity: LPIPS-vgg at {DiversitySize}^2 around {(DiversityClusters is int k ? $"{k}" : "all")} training photo(s)");
}
