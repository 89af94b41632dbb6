// `edit` (paper Fig. 7): a start latent in α form (an anchor today; an inverted photo once inversion lands — any
// AlphaLatent plugs in) swept along a direction projected into the anchors' span, with an edge policy, rendered from
// the given views; writes a grid (rows θ, columns views), the edited latents [T, L, D] and edit.csv (θ, min α, action).
using System.Globalization;
using System.Text;
using My3DGen.Engine.IO;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Tasks.Editing;

/// <summary>What to edit and where to write it.</summary>
public sealed record EditRequest
{
    /// <summary>The latent to edit, in α form (θ = 0 reproduces it exactly).</summary>
    public required AlphaLatent Start { get; init; }
    /// <summary>A short name of the start latent for captions (e.g. the anchor's image name).</summary>
    public required string StartName { get; init; }
    /// <summary>The unit W direction [w_dim].</summary>
    public required float[] Direction { get; init; }
    /// <summary>A short name of the direction for captions (e.g. the file name).</summary>
    public string DirectionName { get; init; } = "direction";
    /// <summary>The θ values (rows); default edit.py's 9 values in [−2, 2].</summary>
    public IReadOnlyList<double> Thetas { get; init; } = AlphaEditor.MyStyleThetas();
    /// <summary>What to do when min α &lt; −β.</summary>
    public EdgePolicy Policy { get; init; } = EdgePolicy.Continue;
    /// <summary>β of the dilated space P_β.</summary>
    public double Beta { get; init; } = AlphaEditor.DefaultBeta;
    /// <summary>The views (columns).</summary>
    public required IReadOnlyList<RenderView> Views { get; init; }
    /// <summary>Output folder: edit_grid.png, latents.npy (kept edits), edit.csv.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Sees every rendered image (row index among the rendered edits, column view) before it is discarded.</summary>
    public ImageObserver? Observer { get; init; }
}

/// <summary>What an edit wrote.</summary>
/// <param name="Projection">The projected direction (γ and cos(n∥, n) per layer).</param>
/// <param name="Steps">Every θ with its min α and the policy's action.</param>
/// <param name="Grid">The grid PNG (rows: the edits that were not stopped); null when every edit was stopped.</param>
/// <param name="Files">Every file written.</param>
public sealed record EditResult(ProjectedDirection Projection, IReadOnlyList<EditStep> Steps, string? Grid, IReadOnlyList<string> Files);

/// <summary>Edits a latent in α space and renders the sweep.</summary>
public static class EditService
{
    /// <summary>Projects the direction, sweeps θ with the policy, renders and writes the results.</summary>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static EditResult Run(Eg3dGenerator generator, EditRequest request, IProgress<TaskProgress>? progress = null, CancellationToken cancel = default)
    {
        if (request.Views.Count == 0) throw new ArgumentException("need at least one view", nameof(request));
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        var anchors = request.Start.Anchors;
        var projection = ProjectedDirection.Project(anchors, request.Direction);
        var steps = AlphaEditor.Sweep(request.Start, projection, request.Thetas, request.Policy, request.Beta);
        var kept = steps.Where(s => s.Ws != null).ToList();
        var rowNames = kept.Select(s => $"θ = {TaskViews.Signed(s.Theta)}").ToList();
        var tiles = LatentRows.Render(generator, kept.Select(s => s.Ws!).ToList(), _ => request.Views, rowNames, request.Observer, progress, cancel);

        var files = new List<string>();
        string? grid = null;
        if (kept.Count > 0)
        {
            grid = Path.Combine(dir, "edit_grid.png");
            var captions = kept.Select(s => $"θ = {TaskViews.Signed(s.Theta)}\nmin alpha {TaskViews.Signed(s.MinAlpha)}{(s.Action == "projected" ? "\nprojected" : "")}").ToList();
            string title = $"{request.StartName} edited along {request.DirectionName} in alpha space (cos(n_par, n) = {projection.MinCosine:0.000}, " +
                           $"{request.Policy.ToString().ToUpperInvariant()}, beta = {request.Beta:0.###}{(steps.Count > kept.Count ? $", {steps.Count - kept.Count} stopped" : "")})";
            OutputFileException.Guard(grid, () => LabelledGrid.Save(grid, tiles, title, captions, request.Views.Select(TaskViews.Caption).ToList(),
                Math.Min(192, generator.Config.ImgResolution)));
            files.Add(grid);
            string npy = Path.Combine(dir, "latents.npy");
            OutputFileException.Guard(npy, () => NpyFile.Write(npy, [kept.Count, anchors.NumWs, anchors.WDim], kept.SelectMany(s => s.Ws!).ToArray()));
            files.Add(npy);
        }
        string csv = Path.Combine(dir, "edit.csv");
        var text = new StringBuilder("theta,min_alpha,outside_dilated_space,action\n");
        foreach (var s in steps)
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{s.Theta:0.######},{s.MinAlpha:0.######},{(s.OutsideDilatedSpace ? 1 : 0)},{s.Action}\n"));
        OutputFileException.Guard(csv, () => AtomicFile.WriteAllBytes(csv, Encoding.UTF8.GetBytes(text.ToString())));
        files.Add(csv);
        return new EditResult(projection, steps, grid, files);
    }
}
