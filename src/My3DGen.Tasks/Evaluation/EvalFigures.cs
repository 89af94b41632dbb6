// The evaluation's pictures, models side by side: Fig. 3 (each test photo and every model's PTI reconstruction), Fig. 4
// (the first anchor pair's θ row per model, and the ID_sim-per-θ plot, one line per model), Fig. 5 (the same P0 samples
// rendered by every model), Fig. 6 (degraded input, every model's restoration, the photo) and Table 1's plot (identity
// scores against the adapter's stored values). Written atomically.
using System.Globalization;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Interpolation;

namespace My3DGen.Tasks.Evaluation;

/// <summary>Collects each model's images while the evaluation runs, then draws the comparison figures.</summary>
internal sealed class EvalFigures(int models, IReadOnlyList<ProjectionTarget> photos, int resolution)
{
    /// <summary>P0 samples shown per model in Fig. 5.</summary>
    public const int SynthesisColumns = 8;

    readonly List<RgbImage>[] _reconstructions = Enumerable.Range(0, models).Select(_ => new List<RgbImage>()).ToArray();
    readonly RgbImage[]?[] _interpolation = new RgbImage[]?[models];
    readonly List<RgbImage>[] _synthesis = Enumerable.Range(0, models).Select(_ => new List<RgbImage>()).ToArray();
    readonly List<(RgbImage Masked, RgbImage Inpainted, RgbImage LowRes, RgbImage Restored)>[] _restoration =
        Enumerable.Range(0, models).Select(_ => new List<(RgbImage, RgbImage, RgbImage, RgbImage)>()).ToArray();
    string _interpolationCaption = "";

    int Cell => Math.Min(160, resolution);

    /// <summary>Model <paramref name="model"/>'s reconstruction of the next test photo.</summary>
    public void AddReconstruction(int model, RgbImage image) => _reconstructions[model].Add(image);

    /// <summary>Model <paramref name="model"/>'s renders of the first pair, one per θ, at the first view.</summary>
    public void AddInterpolation(int model, RgbImage[] row, string caption) { _interpolation[model] = row; _interpolationCaption = caption; }

    /// <summary>Model <paramref name="model"/>'s synthesis images (row-major samples × <paramref name="views"/>): the first view of the first samples.</summary>
    public void AddSynthesis(int model, IReadOnlyList<RgbImage> images, int views) =>
        _synthesis[model].AddRange(Enumerable.Range(0, Math.Min(SynthesisColumns, images.Count / views)).Select(s => images[s * views]));

    /// <summary>Model <paramref name="model"/>'s restorations of the next test photo, with the degraded inputs they started from.</summary>
    public void AddRestoration(int model, RgbImage masked, RgbImage inpainted, RgbImage lowRes, RgbImage restored) =>
        _restoration[model].Add((masked, inpainted, lowRes, restored));

    /// <summary>Writes the figures; returns their paths.</summary>
    public List<string> Write(string dir, EvalReport report, string? identityNetwork, string? diversityNetwork)
    {
        var files = new List<string>();
        void Save(string name, Func<RgbImage> draw)
        {
            string path = Path.Combine(dir, name);
            OutputFileException.Guard(path, () => draw().SavePng(path));
            files.Add(path);
        }
        string idNote = identityNetwork == null ? "" : $"\nID: {identityNetwork}";

        if (_reconstructions[0].Count > 0)
            Save(EvalTables.Fig3Png, () =>
            {
                var tiles = new List<RgbImage>();
                for (int p = 0; p < _reconstructions[0].Count; p++)
                {
                    tiles.Add(ReferenceImages.ToImage(photos[p].Image, resolution));
                    tiles.AddRange(_reconstructions.Select(r => r[p]));
                }
                var columns = new[] { "test photo" }.Concat(report.Models.Select(m => m.Inversion is { } i
                    ? $"{m.Model.Label}\nLPIPS {F(i.LpipsAlex)}\nDISTS {F(i.Dists)}\nID {F(i.IdSimilarity)}" : m.Model.Label)).ToList();
                return LabelledGrid.Render(tiles, "Fig. 3: PTI inversion of held-out photos (columns: the photo, each model's reconstruction; means over rows)" + idNote,
                    photos.Take(_reconstructions[0].Count).Select(p => Path.GetFileNameWithoutExtension(p.Name)).ToList(), columns, Cell);
            });

        if (_interpolation[0] is { } first)
        {
            var thetas = InterpolationService.Thetas(first.Length);
            Save(EvalTables.Fig4Png, () => LabelledGrid.Render(_interpolation.SelectMany(r => r!).ToList(),
                $"Fig. 4: interpolation {_interpolationCaption} (rows: models, columns: θ)",
                report.Models.Select(m => m.Interpolation is { } i ? $"{m.Model.Label}\nmean ID_sim\n{F(i.Mean)}" : m.Model.Label).ToList(),
                thetas.Select(t => "θ = " + t.ToString("0.00", CultureInfo.InvariantCulture)).ToList(), Cell));
        }
        if (report.Models.All(m => m.Interpolation != null))
            Save(EvalTables.Fig4PlotPng, () => LinePlot.Render(report.Models.Select(m => new PlotSeries(m.Model.Label, m.Interpolation!.Thetas, m.Interpolation.IdSim) { Markers = true }).ToList(),
                new LinePlotOptions
                {
                    Title = $"Fig. 4: identity along the interpolation (mean over {report.Models[0].Interpolation!.Pairs} anchor pair(s) and the views){idNote}",
                    XLabel = "θ (0 = first anchor, 1 = second anchor)", YLabel = "ID_sim (cosine, formula (2))", YScale = AxisScale.Linear,
                }));

        if (_synthesis[0].Count > 0)
            Save(EvalTables.Fig5Png, () => LabelledGrid.Render(_synthesis.SelectMany(r => r).ToList(),
                "Fig. 5: the same P0 samples rendered by each model (first random view)" + idNote + (diversityNetwork == null ? "" : $"\ndiversity: {diversityNetwork}"),
                report.Models.Select(m => $"{m.Model.Label}\nID_sim {F(m.Synthesis.IdSim)}\ndiversity {F(m.Synthesis.Diversity)}").ToList(),
                Enumerable.Range(0, _synthesis[0].Count).Select(i => $"sample {i}").ToList(), Cell));

        if (_restoration[0].Count > 0)
            Save(EvalTables.Fig6Png, () =>
            {
                var tiles = new List<RgbImage>();
                var rows = new List<string>();
                for (int p = 0; p < _restoration[0].Count; p++)
                {
                    string name = Path.GetFileNameWithoutExtension(photos[p].Name);
                    var truth = ReferenceImages.ToImage(photos[p].Image, resolution);
                    tiles.Add(_restoration[0][p].Masked); tiles.AddRange(_restoration.Select(r => r[p].Inpainted)); tiles.Add(truth);
                    rows.Add($"{name}\ninpainting");
                    tiles.Add(_restoration[0][p].LowRes); tiles.AddRange(_restoration.Select(r => r[p].Restored)); tiles.Add(truth);
                    rows.Add($"{name}\nsuper-res");
                }
                var columns = new[] { "degraded input" }.Concat(report.Models.Select(m => m.Restoration is { } r
                    ? $"{m.Model.Label}\nID inpaint {F(r.InpaintingIdSimilarity)}\nID super-res {F(r.SuperResolutionIdSimilarity)}" : m.Model.Label)).Append("original photo").ToList();
                return LabelledGrid.Render(tiles, "Fig. 6: inpainting (centred box) and super-resolution from the person's alpha+ space (means over photos)" + idNote,
                    rows, columns, Cell);
            });

        var sized = report.Models.Where(m => m.Adapter.TrainedValues > 0).ToList();
        var series = new List<PlotSeries>();
        void Series(string name, Func<ModelScores, double> value)
        {
            var points = sized.Select(m => (X: (double)m.Adapter.TrainedValues, Y: value(m))).Where(p => double.IsFinite(p.Y)).ToList();
            if (points.Count > 0) series.Add(new PlotSeries(name, points.Select(p => p.X).ToList(), points.Select(p => p.Y).ToList()) { Markers = true });
        }
        Series("inversion ID sim", m => m.Inversion?.IdSimilarity ?? double.NaN);
        Series("interpolation ID_sim", m => m.Interpolation?.Mean ?? double.NaN);
        Series("synthesis ID_sim", m => m.Synthesis.IdSim);
        Series("inpainting ID sim", m => m.Restoration?.InpaintingIdSimilarity ?? double.NaN);
        Series("super-res ID sim", m => m.Restoration?.SuperResolutionIdSimilarity ?? double.NaN);
        if (series.Count > 0)
            Save(EvalTables.Table1Png, () => LinePlot.Render(series, new LinePlotOptions
            {
                Title = $"Table 1: identity against adapter size ({string.Join(", ", sized.Select(m => m.Model.Label))}; the base model stores none; diversity and LPIPS in the table){idNote}",
                XLabel = "values stored in the adapter (log scale)", YLabel = "ID similarity (ArcFace cosine)", XScale = AxisScale.Logarithmic, YScale = AxisScale.Linear,
            }));
        return files;
    }

    static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
