// The projector's switches, shared by `project` (plain names) and `personalize` (--project-* names where they would clash
// with training options): space, steps, lr, W noise, noise maps, w̄ samples, conditioning camera, batch, seed, and the
// LPIPS-VGG weights (converted torchvision VGG16 + LPIPS vgg.pth lin layers, or random weights only when asked).
using System.CommandLine;
using My3DGen.Personalization.Projection;

namespace My3DGen.Cli.Commands;

/// <summary>The LPIPS-VGG weights chosen on the command line.</summary>
internal sealed record VggChoice(string? Backbone, string? Lin, bool Random);

/// <summary>Creates the projector options for one verb and reads them back.</summary>
internal sealed class ProjectorOptionSet
{
    readonly Option<string> _space, _noise, _cond;
    readonly Option<int> _steps, _avgSamples, _batch, _seed, _lossRes;
    readonly Option<float> _lr, _wNoise, _mseWeight;
    public Option<string?> VggBackbone { get; } = new("--vgg-backbone") { Description = "converted torchvision VGG16 .safetensors (features.*), the projector's LPIPS backbone" };
    public Option<string?> VggLin { get; } = new("--vgg-lin") { Description = "converted LPIPS v0.1 vgg.pth .safetensors (lin*.model.1.weight)" };

    /// <summary>Options named --{prefix}steps etc. (prefix "" for `project`, "project-" for `personalize`).</summary>
    public ProjectorOptionSet(string prefix, int defaultSteps = 500, string defaultNoise = "optimize")
    {
        _space = new($"--{prefix}space") { Description = "latent space: w | w+", DefaultValueFactory = _ => "w" };
        _steps = new($"--{prefix}steps") { Description = "projection steps per photo", DefaultValueFactory = _ => defaultSteps };
        _lr = new($"--{prefix}lr") { Description = "peak learning rate of the ramp schedule (authors' fork: 0.1)", DefaultValueFactory = _ => 0.01f };
        _noise = new($"--{prefix}noise") { Description = "noise maps: optimize | fixed | const", DefaultValueFactory = _ => defaultNoise };
        _batch = new($"--{prefix}batch") { Description = "photos optimised together (each its own latent, camera, noise)", DefaultValueFactory = _ => 1 };
        _seed = new($"--{prefix}seed") { Description = "seed of the noise-map init and W noise", DefaultValueFactory = _ => 0 };
        _wNoise = new("--w-noise") { Description = "initial W-noise factor (× σ_w, annealed to 0 at 75 %)", DefaultValueFactory = _ => 0.05f };
        _avgSamples = new("--w-avg-samples") { Description = "z samples for w̄ and σ_w (numpy RandomState(123))", DefaultValueFactory = _ => 600 };
        _lossRes = new("--loss-resolution") { Description = "LPIPS-VGG resolution (images above it are area-downsampled; the projector's 256, smaller only for quick previews)", DefaultValueFactory = _ => 256 };
        _mseWeight = new("--mse-weight") { Description = "weight of an extra pixel MSE term (0: LPIPS-VGG alone, as the EG3D projector)", DefaultValueFactory = _ => 0f };
        _cond = new("--cond-camera") { Description = "camera the mapping is conditioned on for w̄: frontal | target", DefaultValueFactory = _ => "frontal" };
    }

    /// <summary>Every option, for adding to a command (the VGG weight options included).</summary>
    public Option[] All => [_space, _steps, _lr, _noise, _batch, _seed, _wNoise, _avgSamples, _cond, _lossRes, _mseWeight, VggBackbone, VggLin];

    /// <summary>The validated settings from a parse result (usage errors name the option).</summary>
    public ProjectionOptions Read(ParseResult p) => new()
    {
        Space = p.GetValue(_space)?.ToLowerInvariant() switch
        {
            "w" => LatentSpace.W, "w+" or "wplus" => LatentSpace.WPlus,
            var s => throw new UsageException($"{_space.Name} must be w or w+, got '{s}'"),
        },
        Steps = OptionChecks.InRange(p.GetValue(_steps), _steps.Name, 1, 1_000_000),
        LearningRate = OptionChecks.Finite(p.GetValue(_lr), _lr.Name, 0, 10, aboveMin: true),
        WNoiseFactor = OptionChecks.Finite(p.GetValue(_wNoise), _wNoise.Name, 0, 100),
        NoiseMaps = p.GetValue(_noise)?.ToLowerInvariant() switch
        {
            "optimize" or "optimise" => NoiseMapMode.Optimize, "fixed" => NoiseMapMode.Fixed, "const" => NoiseMapMode.Const,
            var s => throw new UsageException($"{_noise.Name} must be optimize, fixed or const, got '{s}'"),
        },
        WAvgSamples = OptionChecks.InRange(p.GetValue(_avgSamples), _avgSamples.Name, 2, 1_000_000),
        CondCamera = p.GetValue(_cond)?.ToLowerInvariant() switch
        {
            "frontal" => ConditioningCamera.Frontal, "target" => ConditioningCamera.Target,
            var s => throw new UsageException($"{_cond.Name} must be frontal or target, got '{s}'"),
        },
        BatchSize = OptionChecks.InRange(p.GetValue(_batch), _batch.Name, 1, 4096),
        Seed = OptionChecks.InRange(p.GetValue(_seed), _seed.Name, 0),
        LossResolution = OptionChecks.InRange(p.GetValue(_lossRes), _lossRes.Name, 16, 4096),
        MseWeight = OptionChecks.Finite(p.GetValue(_mseWeight), _mseWeight.Name, 0, 1e6f),
    };

    /// <summary>The VGG weights; <paramref name="random"/> is the verb's explicit random-weights switch.</summary>
    public VggChoice Weights(ParseResult p, bool random) => new(p.GetValue(VggBackbone), p.GetValue(VggLin), random);
}
