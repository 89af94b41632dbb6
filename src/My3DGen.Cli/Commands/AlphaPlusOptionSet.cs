// The options shared by `inpaint` and `superres`: the photo and its camera, MyStyle's α⁺ projection settings (steps, lr,
// β, α-only) and the LPIPS-alex loss weights (converted torchvision AlexNet + LPIPS alex.pth lin layers, or random
// weights only when asked).
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Models.Metrics;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Cli.Commands;

/// <summary>Creates the α⁺ options of a restoration verb and reads them back.</summary>
internal sealed class AlphaPlusOptionSet
{
    public Option<string> Photo { get; } = new("--photo") { Description = "the photo (PNG/JPEG)", Required = true };
    public Option<string> Camera { get; } = new("--camera") { Description = "the photo's 25-float EG3D camera label (.npy [25] or [1,25])", Required = true };
    readonly Option<int> _steps = new("--steps") { Description = "alpha+ projection steps (MyStyle: 1000)", DefaultValueFactory = _ => 1000 };
    readonly Option<float> _lr = new("--lr") { Description = "Adam learning rate (MyStyle: 5e-3)", DefaultValueFactory = _ => 5e-3f };
    readonly Option<float> _beta = new("--beta") { Description = "soft constraint: coefficients stay ≥ −beta (MyStyle: 0.03)", DefaultValueFactory = _ => 0.03f };
    readonly Option<bool> _alphaOnly = new("--alpha-only") { Description = "one alpha for all layers (alpha space) instead of alpha+ with per-layer offsets" };
    readonly Option<string?> _alex = new("--alexnet") { Description = "torchvision AlexNet (converted): the loss LPIPS-alex" };
    readonly Option<string?> _lin = new("--lpips-lin") { Description = "converted LPIPS lin alex.pth (the loss LPIPS-alex)" };
    readonly Option<bool> _random = new("--random-weights") { Description = "random LPIPS-alex weights where none are given (testing only; labelled)" };

    /// <summary>Every option, for adding to a command.</summary>
    public Option[] All => [Photo, Camera, _steps, _lr, _beta, _alphaOnly, _alex, _lin, _random];

    /// <summary>The validated projection settings (usage errors name the option).</summary>
    public AlphaPlusOptions Read(ParseResult p) => new()
    {
        Steps = OptionChecks.InRange(p.GetValue(_steps), "--steps", 1, 1_000_000),
        LearningRate = OptionChecks.Finite(p.GetValue(_lr), "--lr", 0, 10, aboveMin: true),
        Beta = OptionChecks.Finite(p.GetValue(_beta), "--beta", 0, 10),
        WPlus = !p.GetValue(_alphaOnly),
    };

    /// <summary>The --photo path (checked to exist) and the --camera label.</summary>
    public (string PhotoPath, float[] Camera) PhotoAndCamera(ParseResult p) =>
        (OptionChecks.InputFile(p.GetValue(Photo)!, "--photo"),
         Models.Api.RenderViews.ReadConditioningCamera(OptionChecks.InputFile(p.GetValue(Camera)!, "--camera")));

    /// <summary>LPIPS-alex from the given weights, random weights with --random-weights, else a usage error; warns when random.</summary>
    public MetricNetworks OpenLoss(ParseResult p, IBackend backend, CliOutput o)
    {
        string? lin = p.GetValue(_lin) is string l ? OptionChecks.InputFile(l, "--lpips-lin") : null;
        var nets = MetricNetworks.Open(new MetricWeights
        {
            AlexNet = p.GetValue(_alex) is string a ? OptionChecks.InputFile(a, "--alexnet") : null,
            LpipsLin = lin == null ? [] : [lin], RandomSeed = p.GetValue(_random) ? 0 : null,
        }, backend, new HashSet<string> { MetricNames.LpipsAlex });
        if (nets.LpipsAlex == null)
        {
            nets.Dispose();
            throw new UsageException("--alexnet and --lpips-lin (alex) are needed for the loss LPIPS-alex, or --random-weights");
        }
        if (nets.RandomWeights.Count > 0) o.Line("warning: random LPIPS-alex weights: the loss is not perceptual");
        return nets;
    }

    /// <summary>"(random LPIPS weights)" for titles when they are random.</summary>
    public static string WeightsNote(MetricNetworks nets) => nets.RandomWeights.Count > 0 ? " (random LPIPS weights)" : "";
}
