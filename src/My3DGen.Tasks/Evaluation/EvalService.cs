// `eval`: the paper's protocol for one person over several models (the base and each adapter): PTI inversion of the
// test photos (Fig. 3), interpolation between anchor pairs with ID_sim per θ (Fig. 4), P0 synthesis with ID_sim and
// diversity (Fig. 5), inpainting and super-resolution of the test photos (Fig. 6), and the adapter sizes beside the
// scores (Table 1). Each model's task outputs go to <label>/…; the
// tables and figures to the output folder (EvalTables, EvalFigures). The generator is the base again when it returns.
using System.Diagnostics;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Identity;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Interpolation;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Rendering;
using My3DGen.Tasks.Restoration;
using My3DGen.Tasks.Synthesis;

namespace My3DGen.Tasks.Evaluation;

/// <summary>The inputs of an evaluation.</summary>
public sealed record EvalRequest
{
    /// <summary>The models, in table order (usually the base first, then adapters by size).</summary>
    public required IReadOnlyList<EvalModel> Models { get; init; }
    /// <summary>The person's anchors (interpolation pairs, P0 samples).</summary>
    public required AnchorSet Anchors { get; init; }
    /// <summary>The person's training photos: the diversity metric's clusters, and formula (2)'s references without test photos.</summary>
    public required IReadOnlyList<NamedImage> TrainPhotos { get; init; }
    /// <summary>Held-out photos with cameras: inverted (Fig. 3) and formula (2)'s reference set (the paper's test images).</summary>
    public IReadOnlyList<ProjectionTarget> TestPhotos { get; init; } = [];
    /// <summary>The metric networks; inversion needs LPIPS-alex (tuning loss) and LPIPS-vgg (projection loss).</summary>
    public required MetricNetworks Networks { get; init; }
    /// <summary>ArcFace preprocessing.</summary>
    public ArcFacePreprocess IdMode { get; init; } = ArcFacePreprocess.My3DGen;
    /// <summary>The counts.</summary>
    public EvalOptions Options { get; init; } = EvalOptions.Paper;
    /// <summary>Output folder.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>The generator's name for captions (e.g. its file name).</summary>
    public string GeneratorName { get; init; } = "generator";
}

/// <summary>Runs the evaluation protocol.</summary>
public static class EvalService
{
    const string Inversion = "inversion", Interpolation = "interpolation", Synthesis = "synthesis", Restoration = "inpainting + super-resolution";

    /// <summary>Evaluates every model and writes the tables, plots and each task's outputs.</summary>
    /// <exception cref="TaskInputException">A bad label, fewer than 2 anchors, or a test photo of another size.</exception>
    /// <exception cref="ArgumentException">Test photos without the LPIPS networks inversion needs.</exception>
    /// <exception cref="OutputFileException">An output cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static EvalReport Run(Eg3dGenerator generator, EvalRequest request, IProgress<EvalProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var (o, nets, anchors, dir) = (request.Options, request.Networks, request.Anchors, request.OutputDirectory);
        Validate(generator, request);
        OutputPaths.PrepareFolder(dir);
        var testPhotos = request.TestPhotos.Take(o.InversionPhotos ?? int.MaxValue).ToList();
        int res = generator.Config.ImgResolution;
        var references = request.TestPhotos.Count > 0 ? ReferenceImages.FromPhotos(request.TestPhotos, res) : request.TrainPhotos;
        var scorer = nets.ArcFace == null ? null : ArcFaceScorer.Create(nets.ArcFace, references.Select(r => r.Image).ToList(), request.IdMode);
        var clusters = Clusters(request.TrainPhotos, o.DiversityClusters);
        var diversity = nets.LpipsVgg == null ? null : new SynthesisDiversity(nets.LpipsVgg, clusters) { Size = o.DiversitySize, Seed = o.Seed };
        var notes = Notes(request, testPhotos.Count, references.Count, request.TestPhotos.Count > 0, clusters.Count, scorer);

        var views = TaskViews.Random(generator, o.InterpolationViews, o.Seed);
        var pairs = Enumerable.Range(0, o.InterpolationPairs).Select(k => ((2 * k) % anchors.Count, (2 * k + 1) % anchors.Count)).ToList();
        var figures = new EvalFigures(request.Models.Count, testPhotos, res);
        var scores = new List<ModelScores>();
        var files = new List<string>();
        int unit = 0, units = request.Models.Count * 4;
        foreach (var model in request.Models)
        {
            cancel.ThrowIfCancellationRequested();
            var summary = model.AdapterPath == null ? AdapterSummary.Base : AdapterSummary.Read(model.AdapterPath);
            using var applied = model.AdapterPath == null ? null : AdapterFile.Apply(generator, model.AdapterPath);
            applied?.Merge();
            string title = $"{request.GeneratorName}, {model.Label}" + (model.Label == summary.Describe() ? "" : $" ({summary.Describe()})");
            IProgress<TaskProgress> Stage(string stage)
            {
                int at = unit++;
                progress?.Report(new EvalProgress(model.Label, stage, at, units, null, clock.Elapsed));
                return new Progress<TaskProgress>(t => progress?.Report(new EvalProgress(model.Label, stage, at, units, t, clock.Elapsed)));
            }

            int index = scores.Count;
            var inversion = RunInversion(generator, request, index, testPhotos, title, figures, files, Stage(Inversion), cancel);
            var interpolation = RunInterpolation(generator, request, index, pairs, views, scorer, title, figures, files, Stage(Interpolation), cancel);
            var synthDir = Path.Combine(dir, model.Label, Synthesis);
            var synth = SynthesisService.Run(generator, anchors, new SynthesisRequest
            {
                Count = o.SynthesisSamples, RandomViews = o.SynthesisViews, Seed = o.Seed, OutputDirectory = synthDir,
                IdentityScorer = scorer, Diversity = diversity, Title = $"P0 samples, {title}",
            }, Stage(Synthesis), cancel);
            files.AddRange(synth.Files);
            figures.AddSynthesis(index, synth.Images!, o.SynthesisViews);
            var restoration = EvalRestoration.Run(generator, request, index, testPhotos, title, figures, files, Stage(Restoration), cancel);
            var d = synth.Diversity;
            scores.Add(new ModelScores(model, summary, inversion, interpolation, new SynthesisScores(synth.Images!.Count, synth.IdentitySimilarity ?? double.NaN,
                d?.Score ?? double.NaN, d?.Std ?? double.NaN, d?.Clusters.Count(c => c.Size >= 2) ?? 0, clusters.Count), restoration));
        }
        var report = new EvalReport(scores, notes, files, clock.Elapsed, nets.RandomWeights.ToList());
        var drawn = figures.Write(dir, report, scorer?.Name, diversity?.Name);
        files.AddRange(drawn);
        files.AddRange(EvalTables.Write(dir, report with { Elapsed = clock.Elapsed }, drawn));
        return report with { Files = files, Elapsed = clock.Elapsed };
    }

    static void Validate(Eg3dGenerator generator, EvalRequest request)
    {
        if (request.Models.Count == 0) throw new ArgumentException("no model to evaluate", nameof(request));
        foreach (var m in request.Models)
            if (!EvalModel.IsValidLabel(m.Label)) throw new TaskInputException(m.Label, "not a usable label (1-40 letters, digits, '-', '_', '.', '+')");
        var twice = request.Models.GroupBy(m => m.Label).FirstOrDefault(g => g.Count() > 1);
        if (twice != null) throw new TaskInputException(twice.Key, "two models share this label");
        if (request.Anchors.Count < 2) throw new TaskInputException("anchors", $"interpolation needs at least 2 anchors, the person has {request.Anchors.Count}");
        if (request.TrainPhotos.Count == 0) throw new TaskInputException("training photos", "none given");
        int r = generator.Config.ImgResolution;
        foreach (var p in request.TestPhotos)
            if (p.Image.Length != 3 * r * r) throw new TaskInputException(p.Name, $"test photo is not {r}x{r}");
        if (request.TestPhotos.Count > 0 && (request.Networks.LpipsAlex == null || request.Networks.LpipsVgg == null))
            throw new ArgumentException("inverting test photos needs LPIPS-alex (tuning loss) and LPIPS-vgg (projection loss) networks", nameof(request));
        if (request.TestPhotos.Count > 0) SuperResolutionService.CheckSide("super-resolution side", request.Options.SuperResolutionSide, r);
    }

    /// <summary><paramref name="count"/> photos evenly spaced over the set (all when null or larger).</summary>
    internal static IReadOnlyList<NamedImage> Clusters(IReadOnlyList<NamedImage> train, int? count) =>
        count is not int k || k >= train.Count ? train : Enumerable.Range(0, k).Select(i => train[(int)((long)i * train.Count / k)]).ToList();

    static List<string> Notes(EvalRequest request, int inverted, int references, bool testReferences, int clusters, IIdentityScorer? scorer)
    {
        var nets = request.Networks;
        var notes = new List<string>
        {
            "protocol: " + request.Options.Describe(),
            $"ID_sim (formula (2)) reference set: {references} {(testReferences ? "test" : "training")} photo(s)" + (scorer != null ? $"; {scorer.Name}" : ""),
            inverted > 0 ? $"inversion (Fig. 3): {inverted} of {request.TestPhotos.Count} test photo(s), each model's reconstruction against the photo"
                : "inversion (Fig. 3): not run (no test photos)",
            inverted > 0 ? $"inpainting and super-resolution (Fig. 6): the same test photo(s), a centred box of {InpaintingRequest.DefaultBoxFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of the side (Poisson blend) and {request.Options.SuperResolutionSide}^2 area-downsampled inputs; scored against the undegraded photo"
                : "inpainting and super-resolution (Fig. 6): not run (no test photos)",
            $"diversity clusters: {clusters} of {request.TrainPhotos.Count} training photo(s)",
        };
        foreach (var (m, why) in nets.Unavailable) notes.Add($"{m}: unavailable ({why})");
        if (nets.RandomWeights.Count > 0) notes.Add($"RANDOM WEIGHTS for {string.Join(", ", nets.RandomWeights)}: these numbers only test the pipeline and are not meaningful");
        return notes;
    }

    static InversionScores? RunInversion(Eg3dGenerator g, EvalRequest request, int index, List<ProjectionTarget> photos, string title,
        EvalFigures figures, List<string> files, IProgress<TaskProgress> progress, CancellationToken cancel)
    {
        if (photos.Count == 0) return null;
        var nets = request.Networks;
        var model = request.Models[index];
        var values = new List<IReadOnlyDictionary<string, double>>();
        var projectionOnly = new List<double>();
        foreach (var photo in photos)
        {
            string sub = Path.Combine(request.OutputDirectory, model.Label, Inversion, Path.GetFileNameWithoutExtension(photo.Name));
            var r = InversionService.Run(g, nets.LpipsVgg!, nets.LpipsAlex!, new InversionRequest
            {
                Photo = photo with { Name = Path.GetFileNameWithoutExtension(photo.Name) }, OutputDirectory = sub, Projection = request.Options.Projection, Tuning = request.Options.Tuning,
                Metrics = nets, OrbitFrames = request.Options.OrbitFrames, Title = title,
            }, progress, cancel);
            files.AddRange(r.Files);
            values.Add(r.Metrics!.Pairs[0].Values);
            projectionOnly.Add(r.LpipsProjection);
            figures.AddReconstruction(index, MetricImages.ReadFile(Path.Combine(sub, "reconstruction.png")));
        }
        double Mean(string metric) => values.All(v => v.ContainsKey(metric)) ? values.Average(v => v[metric]) : double.NaN;
        return new InversionScores(photos.Count, Mean(MetricNames.LpipsAlex), Mean(MetricNames.Dists), Mean(MetricNames.IdSimilarity), Mean(MetricNames.Psnr), projectionOnly.Average());
    }

    static InterpolationScores? RunInterpolation(Eg3dGenerator g, EvalRequest request, int index, List<(int From, int To)> pairs, IReadOnlyList<RenderView> views,
        IIdentityScorer? scorer, string title, EvalFigures figures, List<string> files, IProgress<TaskProgress> progress, CancellationToken cancel)
    {
        var anchors = request.Anchors;
        var model = request.Models[index];
        var sums = new double[request.Options.InterpolationSteps];
        double[]? thetas = null;
        for (int k = 0; k < pairs.Count; k++)
        {
            var (from, to) = pairs[k];
            string sub = Path.Combine(request.OutputDirectory, model.Label, Interpolation,
                $"{Path.GetFileNameWithoutExtension(anchors.Names[from])}-{Path.GetFileNameWithoutExtension(anchors.Names[to])}");
            var firstRow = new RgbImage[request.Options.InterpolationSteps];
            var r = InterpolationService.Run(g, anchors, new InterpolationRequest
            {
                From = from, To = to, Views = views, Steps = request.Options.InterpolationSteps, OutputDirectory = sub, IdentityScorer = scorer, Title = title,
                Observer = k == 0 ? (row, column, image) => { if (column == 0) firstRow[row] = ImageExport.FromRgb(image); } : null,
            }, progress, cancel);
            files.AddRange(r.Files);
            if (k == 0) figures.AddInterpolation(index, firstRow, $"{Path.GetFileNameWithoutExtension(anchors.Names[from])} -> {Path.GetFileNameWithoutExtension(anchors.Names[to])}, {TaskViews.Caption(views[0]).Replace('\n', ' ')}");
            thetas = r.Thetas;
            if (r.IdentitySimilarity != null) for (int i = 0; i < sums.Length; i++) sums[i] += r.IdentitySimilarity[i] / pairs.Count;
        }
        return scorer == null || thetas == null ? null : new InterpolationScores(pairs.Count, thetas, sums);
    }
}
