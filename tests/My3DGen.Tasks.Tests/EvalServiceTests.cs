// `eval` on the tiny EG3D fixture with a 4-anchor person, one rendered test photo and a random rank-2 adapter, every
// count scaled to its minimum and random-weight networks: every table, figure and task output is written, the CSVs
// parse with one numeric cell per column, the random weights are named in every table, and the base model is restored.
using System.Globalization;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Lora;
using My3DGen.Models.Metrics;
using My3DGen.Models.Tests.Eg3d;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Evaluation;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Tests;

[Category("Slow")]
public sealed class EvalServiceTests
{
    static readonly EvalOptions Tiny = new()
    {
        Projection = new ProjectionOptions { Steps = 2, WAvgSamples = 8, NoiseMaps = NoiseMapMode.Const, LossResolution = 32 },
        Tuning = new PivotalTuningOptions { Steps = 2, LossResolution = 32 },
        Restoration = new AlphaPlusOptions { Steps = 2 },
        OrbitFrames = 2, InterpolationPairs = 1, InterpolationSteps = 3, InterpolationViews = 1,
        SynthesisSamples = 4, SynthesisViews = 1, DiversitySize = 32, DiversityClusters = 2,
    };

    [Test]
    public void EvalWritesEveryTableAndFigureAndRestoresTheBase()
    {
        using var g = Eg3dGenerator.Load(FixtureData.TinyModel, CpuBackend.Instance);
        var dir = TestPerson.TempDir();
        string adapter = Path.Combine(dir, "r2.lora.safetensors");
        using (var set = new TrainableSet(g, new LoraOptions(2, 2f, 5), trainDecoder: false))
        {
            var rng = new Random(3);
            foreach (var f in set.Lora!.Factors) f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(0.05 * TestPerson.Gaussian(rng))).ToArray());
            AdapterFile.Save(set, adapter);
        }
        string hash = ModelHash.Compute(g);
        var anchors = TestPerson.MappedAnchors(4);
        int res = g.Config.ImgResolution;
        var cam = RenderViews.FromYawPitch(g, [0.2f], [0.1f])[0].Label;
        float[] Render(float[] ws) { using var t = PivotalTuner.RenderPivot(g, ws, cam); return t.ToArray(); }
        var train = Enumerable.Range(0, anchors.Count).Select(i => new NamedImage(anchors.Names[i], ReferenceImages.ToImage(Render(anchors.Ws(i)), res))).ToList();
        var test = new ProjectionTarget("test_00.png", Render(TestPerson.MappedAnchors(6).Ws(5)), cam);
        using var nets = MetricNetworks.Open(new MetricWeights { RandomSeed = 0 }, g.Backend,
            new HashSet<string>([MetricNames.IdSim, MetricNames.IdSimilarity, MetricNames.Diversity, MetricNames.LpipsAlex, MetricNames.LpipsVgg, MetricNames.Dists]));
        var stages = new List<string>();
        var report = EvalService.Run(g, new EvalRequest
        {
            Models = [new EvalModel(EvalModel.BaseLabel, null), new EvalModel("r2", adapter)], Anchors = anchors, TrainPhotos = train, TestPhotos = [test],
            Networks = nets, Options = Tiny, OutputDirectory = Path.Combine(dir, "eval"),
        }, new Progress<EvalProgress>(p => { lock (stages) if (p.Task == null) stages.Add($"{p.Model} {p.Stage}"); if (p.Task == null) TestContext.Out.WriteLine($"{p.Elapsed.TotalSeconds:F1} s: {p.Model} {p.Stage}"); }));
        TestContext.Out.WriteLine($"eval of 2 models in {report.Elapsed.TotalSeconds:F0} s: {Path.Combine(dir, "eval")}");

        Assert.That(ModelHash.Compute(g), Is.EqualTo(hash), "the adapter is removed when eval returns");
        Assert.That(g.AttachedLora, Is.Null);
        string Out(string name) => Path.Combine(dir, "eval", name);
        foreach (var f in new[] { EvalTables.Markdown, EvalTables.Json, EvalTables.Fig3Csv, EvalTables.Fig4Csv, EvalTables.Fig5Csv, EvalTables.Table1Csv,
                     EvalTables.Fig3Png, EvalTables.Fig4Png, EvalTables.Fig4PlotPng, EvalTables.Fig5Png, EvalTables.Fig6Csv, EvalTables.Fig6Png, EvalTables.Table1Png })
            Assert.That(File.Exists(Out(f)), f);
        foreach (var f in report.Files) Assert.That(File.Exists(f), f);
        foreach (var label in new[] { "base", "r2" })
            foreach (var f in new[] { "inversion/test_00/compare.png", "inversion/test_00/test_00.pti.lora.safetensors", "interpolation/photo0-photo1/interpolation_grid.png",
                         "synthesis/synthesis_grid.png", "inpainting/test_00/inpainted.png", "superres/test_00/restoration.png" })
                Assert.That(File.Exists(Out(Path.Combine(label, f))), $"{label}/{f}");
        Assert.That(Directory.GetFiles(dir, "*.tmp*", SearchOption.AllDirectories), Is.Empty, "no temp file is left");

        var fig3 = ParseCsv(Out(EvalTables.Fig3Csv), 2);
        var fig4 = ParseCsv(Out(EvalTables.Fig4Csv), 3);
        var fig5 = ParseCsv(Out(EvalTables.Fig5Csv), 2);
        var fig6 = ParseCsv(Out(EvalTables.Fig6Csv), 2);
        var table1 = ParseCsv(Out(EvalTables.Table1Csv), 2);
        Assert.That(fig4[0].Keys, Is.EqualTo(new[] { "theta", "base", "r2", "random_weights" }));
        Assert.That(fig4.Select(r => Number(r["theta"])), Is.EqualTo(new[] { 0, 0.5, 1 }));
        foreach (var row in fig3.Concat(fig5).Concat(fig4).Concat(fig6).Concat(table1))
            Assert.That(row["random_weights"], Does.Contain("id_sim").And.Contain("diversity"), "every table names the random-weight networks");
        foreach (var row in fig3)
            foreach (var c in new[] { "lpips_alex", "dists", "id_similarity", "psnr_db" }) Assert.That(Number(row[c]), Is.GreaterThan(0), c);
        foreach (var row in fig5) Assert.That(Number(row["id_sim"]), Is.InRange(-1, 1));
        foreach (var row in fig6)
            foreach (var c in new[] { "inpainting_id_similarity", "superres_id_similarity" }) Assert.That(Number(row[c]), Is.InRange(-1, 1), c);
        Assert.That(table1[1]["rank"], Is.EqualTo("2"));
        Assert.That(long.Parse(table1[1]["stored_values"], CultureInfo.InvariantCulture), Is.GreaterThan(0));
        Assert.That(table1[0]["stored_values"], Is.EqualTo("0"));

        var md = File.ReadAllText(Out(EvalTables.Markdown));
        Assert.That(md, Does.Contain("Fig. 3").And.Contain("Fig. 4").And.Contain("Fig. 5").And.Contain("Fig. 6").And.Contain("Table 1").And.Contain("RANDOM WEIGHTS").And.Contain("](fig5_synthesis.png)"));
        var json = JsonNode.Parse(File.ReadAllText(Out(EvalTables.Json)))!;
        Assert.That(json["models"]!.AsArray().Select(m => m!["label"]!.GetValue<string>()), Is.EqualTo(new[] { "base", "r2" }));
        Assert.That(stages, Does.Contain("base inversion").And.Contain("r2 synthesis"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void BadLabelsAndTooFewAnchorsAreTypedErrors()
    {
        var g = TestPerson.Tiny;
        using var nets = MetricNetworks.Open(new MetricWeights(), g.Backend, new HashSet<string>());
        var train = new[] { new NamedImage("a.png", new Models.Imaging.RgbImage(8, 8)) };
        EvalRequest Request(IReadOnlyList<EvalModel> models, int anchors) => new()
        {
            Models = models, Anchors = TestPerson.MappedAnchors(anchors), TrainPhotos = train, Networks = nets, OutputDirectory = Path.Combine(Path.GetTempPath(), "my3dgen-eval-never-written"),
        };
        Assert.That(() => EvalService.Run(g, Request([new EvalModel("a/b", null)], 2)), Throws.TypeOf<TaskInputException>().With.Message.Contains("a/b"));
        Assert.That(() => EvalService.Run(g, Request([new EvalModel("x", null), new EvalModel("x", null)], 2)), Throws.TypeOf<TaskInputException>().With.Message.Contains("share"));
        Assert.That(() => EvalService.Run(g, Request([new EvalModel("x", null)], 1)), Throws.TypeOf<TaskInputException>().With.Message.Contains("2 anchors"));
    }

    [Test]
    public void QuickScalesEveryCountDown()
    {
        var (p, q) = (EvalOptions.Paper, EvalOptions.Quick);
        Assert.That(p.Projection.Steps, Is.EqualTo(600));
        Assert.That(p.Tuning.Steps, Is.EqualTo(350));
        Assert.That(p.InterpolationSteps, Is.EqualTo(10));
        Assert.That(q.Projection.Steps + q.Tuning.Steps, Is.LessThan(p.Projection.Steps + p.Tuning.Steps));
        Assert.That(q.InterpolationPairs * q.InterpolationSteps * q.InterpolationViews, Is.LessThan(p.InterpolationPairs * p.InterpolationSteps * p.InterpolationViews));
        Assert.That(q.SynthesisSamples * q.SynthesisViews, Is.LessThan(p.SynthesisSamples * p.SynthesisViews));
        Assert.That(q.InversionPhotos, Is.EqualTo(1));
        Assert.That(EvalService.Clusters(Enumerable.Range(0, 10).Select(i => new NamedImage($"{i}", new Models.Imaging.RgbImage(1, 1))).ToList(), 4).Select(c => c.Name),
            Is.EqualTo(new[] { "0", "2", "5", "7" }), "clusters are evenly spaced over the training photos");
    }

    /// <summary>Rows of a CSV as header → cell; asserts the row count and one cell per column.</summary>
    static List<Dictionary<string, string>> ParseCsv(string path, int rows)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        Assert.That(lines, Has.Length.EqualTo(rows + 1), path);
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            Assert.That(cells, Has.Length.EqualTo(header.Length), $"{path}: {l}");
            return header.Zip(cells).ToDictionary(x => x.First, x => x.Second);
        }).ToList();
    }

    static double Number(string cell) => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
}
