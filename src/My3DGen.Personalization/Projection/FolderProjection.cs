// Projects a person folder (aligned photos + EG3D dataset.json) into anchors in My3DGen's layout: every photo without
// `<image>_latent.npy` (all with force) is projected, its anchor written atomically as soon as its batch finishes, and
// anchors.safetensors rewritten with every anchor of the folder; a killed run therefore resumes with the photos left.
// At the end a grid PNG and a CSV table of the photos projected in this run are written.
using System.Globalization;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Personalization.Data;

namespace My3DGen.Personalization.Projection;

/// <summary>What a folder projection did.</summary>
/// <param name="Projected">Results of the photos projected in this run, in dataset.json order.</param>
/// <param name="Skipped">Photos that already had an anchor and were left as they are.</param>
/// <param name="Collection">Path of anchors.safetensors (null when the folder has no anchors at all).</param>
/// <param name="Grid">Path of the grid PNG, or null when nothing was projected.</param>
/// <param name="Table">Path of the CSV table, or null when nothing was projected.</param>
public sealed record FolderProjectionResult(IReadOnlyList<ProjectionResult> Projected, IReadOnlyList<string> Skipped, string? Collection, string? Grid, string? Table);

/// <summary>Folder-level projection (the `project` verb and `personalize` without anchors).</summary>
public static class FolderProjection
{
    /// <summary>Names (as in dataset.json) of the photos in <paramref name="folder"/> that have no anchor yet.</summary>
    /// <exception cref="DatasetException">The folder or its dataset.json is missing or unusable.</exception>
    public static IReadOnlyList<string> MissingAnchors(string folder) =>
        Labels(folder).Where(l => !File.Exists(AnchorFiles.NpyPath(folder, l.Name))).Select(l => l.Name).ToList();

    /// <summary>Projects the photos of <paramref name="folder"/> that lack an anchor (every photo with <paramref name="force"/>).
    /// <paramref name="reportStem"/> (default &lt;folder&gt;/projection) gets ".png" (grid) and ".csv" (table).</summary>
    /// <exception cref="DatasetException">A problem with the folder, dataset.json, a photo or an existing anchor (checked before any work).</exception>
    /// <exception cref="OutputFileException">An output cannot be written (checked before any work).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; anchors of the batches finished so far are kept.</exception>
    public static FolderProjectionResult Run(Projector projector, Eg3dGenerator generator, string folder, bool force = false, string? reportStem = null,
        IProgress<ProjectionProgress>? progress = null, CancellationToken cancel = default)
    {
        var cfg = generator.Config;
        var labels = Labels(folder);
        var anchors = new Dictionary<string, float[]>();
        var targets = new List<ProjectionTarget>();
        var skipped = new List<string>();
        var keys = new HashSet<string>();
        foreach (var (name, camera) in labels)
        {
            if (!keys.Add(AnchorFiles.Key(name))) throw new DatasetException(Path.Combine(folder, "dataset.json"), $"two images share the anchor name '{AnchorFiles.Key(name)}'");
            var npy = AnchorFiles.NpyPath(folder, name);
            if (!force && File.Exists(npy)) { anchors[AnchorFiles.Key(name)] = AnchorFiles.ReadNpy(npy, cfg.NumWs, cfg.WDim); skipped.Add(name); continue; }
            targets.Add(new ProjectionTarget(name, PersonDataset.ReadImage(Path.Combine(folder, name), cfg.ImgResolution), camera));
        }
        reportStem ??= Path.Combine(folder, "projection");
        string collection = Path.Combine(folder, AnchorFiles.CollectionName), grid = reportStem + ".png", table = reportStem + ".csv";
        var outputs = new[] { collection, grid, table }.Concat(targets.Select(t => AnchorFiles.NpyPath(folder, t.Name))).ToList();
        foreach (var path in outputs) { OutputPaths.PrepareFile(path); OutputPaths.RemoveStaleTemps(path); }

        var metadata = new Dictionary<string, string>
        {
            ["format"] = "my3dgen anchors: tensor per image name, ws [1,num_ws,w_dim]",
            ["projection"] = projector.Options.Describe(),
            ["lpips_weights"] = projector.RandomLossWeights ? "random" : "released",
        };
        void Written(ProjectionResult r)
        {
            AnchorFiles.WriteNpy(AnchorFiles.NpyPath(folder, r.Name), r.Latent, cfg.NumWs, cfg.WDim);
            anchors[AnchorFiles.Key(r.Name)] = r.Latent;
            AnchorFiles.WriteCollection(collection, anchors, cfg.NumWs, cfg.WDim, metadata);
        }
        var results = projector.Project(targets, progress, cancel, Written);
        if (results.Count == 0)
        {
            if (anchors.Count > 0 && !File.Exists(collection)) AnchorFiles.WriteCollection(collection, anchors, cfg.NumWs, cfg.WDim, metadata);
            return new FolderProjectionResult(results, skipped, anchors.Count > 0 ? collection : null, null, null);
        }
        ProjectionReport.WriteGrid(grid, results, targets.ToDictionary(t => t.Name), cfg.ImgResolution, projector.Options, projector.RandomLossWeights);
        ProjectionReport.WriteCsv(table, results, projector.Options, projector.RandomLossWeights);
        return new FolderProjectionResult(results, skipped, collection, grid, table);
    }

    static List<(string Name, float[] Camera)> Labels(string folder)
    {
        if (!Directory.Exists(folder)) throw new DatasetException(folder, "folder not found");
        var json = Path.Combine(folder, "dataset.json");
        if (!File.Exists(json)) throw new DatasetException(json, "missing: the folder needs EG3D's dataset.json with camera labels");
        return PersonDataset.ReadLabels(json);
    }
}
