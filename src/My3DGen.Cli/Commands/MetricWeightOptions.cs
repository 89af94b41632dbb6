// The metric networks' weight options, shared by `metrics`, the task verbs (interpolate, synthesize) and `eval`:
// converted ArcFace / VGG16 / AlexNet / DISTS / LPIPS lin files, --random-weights for labelled test runs, and the
// ArcFace preprocessing; plus opening the networks a verb wants and printing which are unavailable or random.
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Models.Identity;
using My3DGen.Models.Metrics;

namespace My3DGen.Cli.Commands;

/// <summary>Options naming the metric networks' weight files.</summary>
internal sealed class MetricWeightOptions
{
    public Option<string?> ArcFace { get; } = new("--arcface") { Description = "ArcFace IR-SE50 (`my3dgen convert model_ir_se50.pth`): ID similarity" };
    public Option<string?> Vgg { get; } = new("--vgg") { Description = "torchvision VGG16 (`my3dgen convert vgg16-397923af.pth`): LPIPS-vgg, DISTS, diversity" };
    public Option<string?> AlexNet { get; } = new("--alexnet") { Description = "torchvision AlexNet (`my3dgen convert alexnet-owt-7be5be79.pth`): LPIPS-alex" };
    public Option<string?> Dists { get; } = new("--dists") { Description = "DISTS alpha/beta (`my3dgen convert weights.pt` of dists-pytorch)" };
    public Option<string[]> LpipsLin { get; } = new("--lpips-lin") { Description = "LPIPS lin layers (converted alex.pth and/or vgg.pth; repeat the option)", AllowMultipleArgumentsPerToken = false };
    public Option<string> IdPreprocess { get; } = new("--id-preprocess") { Description = "ArcFace input: my3dgen (whole image pooled to 112², default) | psp (256², crop 35:223×32:220, 112²)", DefaultValueFactory = _ => "my3dgen" };
    public Option<bool> Random { get; } = new("--random-weights") { Description = "use random networks for metrics whose weights are not given (testing only; labelled in every output)" };

    /// <summary>Every weight option.</summary>
    public Option[] All => [ArcFace, Vgg, AlexNet, Dists, LpipsLin, IdPreprocess, Random];
    /// <summary>The options ID_sim needs.</summary>
    public Option[] Identity => [ArcFace, IdPreprocess, Random];
    /// <summary>The options ID_sim and diversity need.</summary>
    public Option[] IdentityAndDiversity => [ArcFace, Vgg, LpipsLin, IdPreprocess, Random];

    /// <summary>The weight files given (checked to exist); random weights for the rest with --random-weights.</summary>
    public MetricWeights Weights(ParseResult p) => new()
    {
        ArcFace = Input(p.GetValue(ArcFace), "--arcface"), Vgg = Input(p.GetValue(Vgg), "--vgg"), AlexNet = Input(p.GetValue(AlexNet), "--alexnet"),
        Dists = Input(p.GetValue(Dists), "--dists"), LpipsLin = (p.GetValue(LpipsLin) ?? []).Select(f => OptionChecks.InputFile(f, "--lpips-lin")).ToList(),
        RandomSeed = p.GetValue(Random) ? 0 : null,
    };

    /// <summary>The --id-preprocess choice.</summary>
    public ArcFacePreprocess IdMode(ParseResult p) => p.GetValue(IdPreprocess) switch
    {
        "my3dgen" => ArcFacePreprocess.My3DGen, "psp" => ArcFacePreprocess.Psp,
        var v => throw new UsageException($"--id-preprocess: '{v}' is not my3dgen or psp"),
    };

    /// <summary>Opens the <paramref name="wanted"/> metric networks that have weights (or random ones) on <paramref name="backend"/>
    /// and prints one line per unavailable metric and a random-weights warning.</summary>
    public MetricNetworks Open(ParseResult p, IBackend backend, IReadOnlySet<string> wanted, CliOutput o)
    {
        var nets = MetricNetworks.Open(Weights(p), backend, wanted);
        foreach (var (m, why) in nets.Unavailable) o.Line($"{m}: unavailable ({why})");
        if (nets.RandomWeights.Count > 0) o.Line($"RANDOM WEIGHTS for {string.Join(", ", nets.RandomWeights)}: these numbers are not meaningful");
        return nets;
    }

    /// <summary>True when any identity network is given (a file or --random-weights).</summary>
    public bool WantsIdentity(ParseResult p) => p.GetValue(ArcFace) != null || p.GetValue(Random);

    /// <summary>True when the diversity network is given (--vgg, or --random-weights).</summary>
    public bool WantsDiversity(ParseResult p) => p.GetValue(Vgg) != null || p.GetValue(Random);

    static string? Input(string? path, string option) => path == null ? null : OptionChecks.InputFile(path, option);
}
