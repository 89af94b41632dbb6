// Preview pictures written during training: a grid (top row: photos, bottom row: the current model's renders of
// their anchors and cameras) and the loss curve, both as PNGs next to the adapter.
using My3DGen.Models.Imaging;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Reporting;

public static class TrainingPreview
{
    /// <summary>Writes <paramref name="gridPath"/> for up to <paramref name="count"/> samples and <paramref name="curvePath"/>.</summary>
    public static void Write(Personalizer p, string gridPath, string curvePath, int count = 4)
    {
        int n = Math.Min(count, p.SampleCount);
        var renders = Enumerable.Range(0, n).Select(p.RenderSample).ToList();
        var tiles = Enumerable.Range(0, n).Select(i => ImageExport.FromRgb(p.Target(i))).Concat(renders.Select(r => ImageExport.FromRgb(r))).ToList();
        using (var sheet = ImageExport.ContactSheet(tiles, n, 256)) PngFile.Save(sheet, gridPath);
        foreach (var t in tiles) t.Dispose();
        foreach (var r in renders) r.Dispose();
        using var curve = LossCurvePlot.Render(p.LossHistory);
        PngFile.Save(curve, curvePath);
    }
}
