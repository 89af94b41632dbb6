// The person's photos as named RGB images for the metrics: formula (2)'s reference set (ID_sim) and the diversity
// metric's cluster centres, from a person dataset or a folder of photos (CHW floats in [−1, 1] → 8-bit RGB).
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Projection;

namespace My3DGen.Tasks.Identity;

/// <summary>Photos as <see cref="NamedImage"/>s.</summary>
public static class ReferenceImages
{
    /// <summary>The dataset's photos, in dataset.json order.</summary>
    public static IReadOnlyList<NamedImage> FromDataset(PersonDataset data) =>
        data.Samples.Select(s => new NamedImage(s.Name, ToImage(s.Image, s.Resolution))).ToList();

    /// <summary>The photos of a photo folder (see <see cref="PhotoFolder.Load"/>) at resolution <paramref name="resolution"/>.</summary>
    public static IReadOnlyList<NamedImage> FromPhotos(IReadOnlyList<ProjectionTarget> photos, int resolution) =>
        photos.Select(p => new NamedImage(p.Name, ToImage(p.Image, resolution))).ToList();

    /// <summary>3·R·R CHW floats in [−1, 1] as an RGB image.</summary>
    public static RgbImage ToImage(float[] chw, int resolution) => ImageExport.FromChw(chw, resolution, resolution);
}
