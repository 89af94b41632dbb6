// The outcome of a prepare batch, per photo and overall, as the CLI prints it and prepare.json records it.
namespace My3DGen.Faces.Preparation;

/// <summary>One photo's entry in prepare.json.</summary>
/// <param name="Photo">The input path.</param>
/// <param name="Accepted">Whether it went into the dataset.</param>
/// <param name="Reason">Why not (one line), or null.</param>
/// <param name="Output">The aligned PNG's file name, or null.</param>
/// <param name="Mirror">The mirrored PNG's file name, or null.</param>
/// <param name="Yaw">Yaw in degrees (NaN without a face).</param>
/// <param name="Pitch">Pitch in degrees (NaN without a face).</param>
/// <param name="Roll">Roll in degrees (NaN without a face).</param>
/// <param name="Faces">Faces found.</param>
public sealed record PhotoEntry(string Photo, bool Accepted, string? Reason, string? Output, string? Mirror,
    double Yaw, double Pitch, double Roll, int Faces);

/// <summary>The result of <see cref="FacePreparer.Prepare"/>.</summary>
/// <param name="Folder">The person folder.</param>
/// <param name="Photos">Per photo, in input order.</param>
/// <param name="DatasetJson">Path of dataset.json (null when nothing was accepted).</param>
/// <param name="PrepareJson">Path of prepare.json.</param>
/// <param name="ContactSheet">Path of contact-sheet.png.</param>
public sealed record PrepareSummary(string Folder, IReadOnlyList<PhotoEntry> Photos, string? DatasetJson, string PrepareJson, string ContactSheet)
{
    /// <summary>Photos accepted.</summary>
    public int AcceptedCount => Photos.Count(p => p.Accepted);
}
