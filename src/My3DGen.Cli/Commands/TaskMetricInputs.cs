// The metric options of the task verbs (interpolate: ID_sim; synthesize: ID_sim and diversity): the networks' weight
// files or --random-weights, the reference photos of formula (2) (--reference, default the --data photos) and the
// diversity metric's image size; opens the networks on the generator's device and builds the scorer.
using System.CommandLine;
using My3DGen.Models;
using My3DGen.Models.Metrics;
using My3DGen.Personalization.Data;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Synthesis;

namespace My3DGen.Cli.Commands;

/// <summary>Metric options and their networks for a task verb.</summary>
internal sealed class TaskMetricInputs
{
    public MetricWeightOptions Weights { get; } = new();
    public Option<string?> Reference { get; } = new("--reference") { Description = "folder of the person's reference photos for ID_sim (formula (2); default: the --data photos)" };
    public Option<int> DiversitySize { get; } = new("--diversity-size") { Description = "side the diversity metric resizes images to (Ojha et al.: 256)", DefaultValueFactory = _ => 256 };

    /// <summary>The options of a verb reporting ID_sim.</summary>
    public Option[] IdentityOptions => [.. Weights.Identity, Reference];
    /// <summary>The options of a verb reporting ID_sim and diversity.</summary>
    public Option[] AllOptions => [.. Weights.IdentityAndDiversity, Reference, DiversitySize];

    /// <summary>The opened networks of one run; dispose to release them.</summary>
    public sealed record Opened(MetricNetworks? Networks, IIdentityScorer? Scorer, SynthesisDiversity? Diversity) : IDisposable
    {
        public void Dispose() => Networks?.Dispose();
    }

    /// <summary>Opens ArcFace (when --arcface or --random-weights) and, with <paramref name="diversity"/>, LPIPS-vgg (when --vgg or
    /// --random-weights) on the generator's device; nothing is opened when no weights are given.</summary>
    public Opened Open(ParseResult p, Eg3dGenerator g, PersonDataset data, bool diversity, CliOutput o)
    {
        var wanted = new HashSet<string>();
        if (Weights.WantsIdentity(p)) wanted.Add(MetricNames.IdSim);
        if (diversity && Weights.WantsDiversity(p)) wanted.Add(MetricNames.Diversity);
        if (wanted.Count == 0) return new Opened(null, null, null);
        int size = diversity ? OptionChecks.InRange(p.GetValue(DiversitySize), "--diversity-size", 32, 1024) : 0;
        var nets = Weights.Open(p, g.Backend, wanted, o);
        try
        {
            var photos = ReferenceImages.FromDataset(data);
            var references = p.GetValue(Reference) is string r ? MetricImages.Read(r) : photos;
            var scorer = nets.ArcFace == null ? null : ArcFaceScorer.Create(nets.ArcFace, references.Select(x => x.Image).ToList(), Weights.IdMode(p));
            var div = nets.LpipsVgg == null ? null : new SynthesisDiversity(nets.LpipsVgg, photos) { Size = size };
            if (scorer != null) o.Line($"ID_sim against {references.Count} reference photo(s) with {scorer.Name}");
            return new Opened(nets, scorer, div);
        }
        catch { nets.Dispose(); throw; }
    }
}
