// A folder of aligned photos with EG3D's dataset.json camera labels, without anchors (e.g. a person's held-out test
// photos for inversion): reading it as projection targets, and writing photos (+ anchors) in My3DGen's layout, atomically.
using System.Text.Json;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Personalization.Projection;

namespace My3DGen.Personalization.Data;

/// <summary>Reads and writes photo folders (PNG/JPEG + dataset.json).</summary>
public static class PhotoFolder
{
    /// <summary>The photos of <paramref name="folder"/> with their cameras, in dataset.json order; anchors are not needed.</summary>
    /// <exception cref="DatasetException">The folder, dataset.json or a photo is missing or unusable (names the file).</exception>
    public static IReadOnlyList<ProjectionTarget> Load(string folder, int resolution)
    {
        if (!Directory.Exists(folder)) throw new DatasetException(folder, "folder not found");
        var json = Path.Combine(folder, "dataset.json");
        if (!File.Exists(json)) throw new DatasetException(json, "missing: the folder needs EG3D's dataset.json with camera labels");
        return PersonDataset.ReadLabels(json).Select(l => new ProjectionTarget(l.Name, PersonDataset.ReadImage(Path.Combine(folder, l.Name), resolution), l.Camera)).ToList();
    }

    /// <summary>Writes each photo as a PNG named by its <see cref="ProjectionTarget.Name"/>, then dataset.json; with
    /// <paramref name="anchors"/> (one num_ws·w_dim latent per photo) also each <c>&lt;image&gt;_latent.npy</c> [1, num_ws, w_dim].</summary>
    /// <exception cref="OutputFileException">A file cannot be written.</exception>
    public static void Write(string folder, IReadOnlyList<ProjectionTarget> photos, int resolution, IReadOnlyList<float[]>? anchors = null, int numWs = 14, int wDim = 512)
    {
        if (anchors != null && anchors.Count != photos.Count) throw new ArgumentException("need one anchor per photo", nameof(anchors));
        OutputPaths.PrepareFolder(folder);
        for (int i = 0; i < photos.Count; i++)
        {
            var p = photos[i];
            string png = Path.Combine(folder, p.Name);
            using (var t = Tensor.FromArray(CpuBackend.Instance, p.Image, 1, 3, resolution, resolution))
            {
                var image = ImageExport.FromRgb(t);
                OutputFileException.Guard(png, () => image.SavePng(png));
            }
            if (anchors != null)
            {
                string npy = AnchorFiles.NpyPath(folder, p.Name);
                OutputFileException.Guard(npy, () => AnchorFiles.WriteNpy(npy, anchors[i], numWs, wDim));
            }
        }
        string json = Path.Combine(folder, "dataset.json");
        OutputFileException.Guard(json, () => AtomicFile.Write(json, s =>
        {
            using var w = new Utf8JsonWriter(s);
            w.WriteStartObject();
            w.WriteStartArray("labels");
            foreach (var p in photos)
            {
                w.WriteStartArray(); w.WriteStringValue(p.Name);
                w.WriteStartArray(); foreach (var v in p.Camera) w.WriteNumberValue(v); w.WriteEndArray();
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }
}
