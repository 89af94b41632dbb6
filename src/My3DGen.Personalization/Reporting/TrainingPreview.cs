// Preview pictures written during training: a labelled grid (top row: the photos, bottom row: the current model's
// renders of their anchors and cameras) and the loss curve, both as PNGs next to the adapter (written atomically).
using My3DGen.Models.Imaging;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Reporting;

/// <summary>Writes the trainer's preview grid and loss curve.</summary>
public static class TrainingPreview
{
    /// <summary>Writes <paramref name="gridPath"/> (photos over renders for the first <paramref name="count"/> samples, captioned
    /// with the samples' names) and the loss curve <paramref name="curvePath"/>.</summary>
    public static void Write(Personalizer p, string gridPath, string curvePath, int count = 4)
    {
        int n = Math.Min(count, p.SampleCount);
        var renders = Enumerable.Range(0, n).Select(p.RenderSample).ToList();
        try
        {
            var tiles = Enumerable.Range(0, n).Select(i => ImageExport.FromRgb(p.Target(i))).Concat(renders.Select(r => ImageExport.FromRgb(r))).ToList();
            string loss = p.LossHistory.Count > 0 ? $", last loss {p.LossHistory[^1]:0.0000}" : "";
            LabelledGrid.Save(gridPath, tiles, $"Training preview: step {p.Step} of {p.Options.Steps}{loss}",
                ["photo", "model now"], Enumerable.Range(0, n).Select(p.SampleName).ToList(), cellSize: 256);
        }
        finally
        {
            foreach (var r in renders) r.Dispose();
        }
        LossCurvePlot.Render(p.LossHistory).SavePng(curvePath);
    }
}
