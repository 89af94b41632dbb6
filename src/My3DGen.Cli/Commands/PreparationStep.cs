// Runs the face preparation (raw photos → aligned crops + dataset.json) with a progress bar and one line per photo;
// shared by `prepare` and `personalize --prepare`, so both report accepted and rejected photos the same way.
using My3DGen.Faces.Preparation;

namespace My3DGen.Cli.Commands;

internal static class PreparationStep
{
    /// <summary>Prepares <paramref name="files"/> into <paramref name="folder"/> and prints one line per photo and a summary line.</summary>
    public static PrepareSummary Run(CliSession s, IReadOnlyList<string> files, string folder, PrepareOptions options)
    {
        var o = s.Output;
        var preparer = new FacePreparer(options);
        var summary = ProgressDisplay.Run(o, d => preparer.Prepare(files, folder, new ProgressDisplay.Sync<PrepareProgress>(e =>
            d.Update("preparing", e.Done, e.Total, $"{e.Done}/{e.Total} {Path.GetFileName(e.Photo)}")), s.Cancel));
        foreach (var e in summary.Photos)
            o.Line(e.Accepted ? $"accepted {e.Photo} → {e.Output} (yaw {e.Yaw:+0.0;-0.0}°, pitch {e.Pitch:+0.0;-0.0}°, roll {e.Roll:+0.0;-0.0}°{(e.Faces > 1 ? $"; {e.Faces} faces, kept the largest" : "")})"
                : $"rejected {e.Photo}: {(e.Reason!.StartsWith(e.Photo, StringComparison.Ordinal) ? e.Reason[(e.Photo.Length + 2)..] : e.Reason)}");
        o.Line($"{summary.AcceptedCount} of {summary.Photos.Count} photos accepted; wrote {summary.Folder} ({(summary.DatasetJson != null ? "dataset.json, " : "")}prepare.json, contact-sheet.png)");
        return summary;
    }
}
