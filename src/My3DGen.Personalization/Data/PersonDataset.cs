// Loads a person's folder in My3DGen's layout: aligned PNG/JPEG photos, EG3D's dataset.json camera labels and
// one latent anchor per photo (`<image>_latent.npy`, [1,14,512], [14,512], [1,512] or [512]; or all anchors in
// one safetensors file keyed by image name). Every problem is a one-line DatasetException naming the file.
using System.Text.Json;
using My3DGen.Engine.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Data;

public sealed class PersonDataset
{
    public IReadOnlyList<PersonSample> Samples { get; }
    public int Resolution { get; }
    public int NumWs { get; }

    public PersonDataset(IReadOnlyList<PersonSample> samples, int numWs)
    {
        if (samples.Count == 0) throw new ArgumentException("a dataset needs at least one sample");
        Samples = samples; Resolution = samples[0].Resolution; NumWs = numWs;
    }

    /// <summary>Loads <paramref name="folder"/>; images must be <paramref name="resolution"/>² and anchors [numWs, 512].</summary>
    public static PersonDataset Load(string folder, int resolution, int numWs = 14, int wDim = 512, string? anchorsPath = null)
    {
        if (!Directory.Exists(folder)) throw new DatasetException(folder, "folder not found");
        var json = Path.Combine(folder, "dataset.json");
        if (!File.Exists(json)) throw new DatasetException(json, "missing: the folder needs EG3D's dataset.json with camera labels");
        var labels = ReadLabels(json);
        using var anchors = anchorsPath == null ? null : SafeTensorsFile.Open(anchorsPath);
        var samples = new List<PersonSample>();
        foreach (var (name, cam) in labels)
        {
            var imagePath = Path.Combine(folder, name);
            var image = ReadImage(imagePath, resolution);
            float[] latent;
            if (anchors != null)
            {
                var key = Path.GetFileNameWithoutExtension(name);
                if (!anchors.Contains(key)) throw new DatasetException(anchorsPath!, $"no anchor for image '{name}' (expected tensor '{key}')");
                latent = ExpandLatent(anchors.ReadFloat32(key), anchorsPath!, numWs, wDim);
            }
            else
            {
                var npy = Path.Combine(folder, Path.GetFileNameWithoutExtension(name) + "_latent.npy");
                if (!File.Exists(npy)) throw new DatasetException(npy, $"missing latent anchor for '{name}' (run `my3dgen project` or pass --anchors)");
                try { latent = ExpandLatent(NpyFile.Read(npy).Data, npy, numWs, wDim); }
                catch (FileFormatException e) { throw new DatasetException(npy, e.Message); }
            }
            samples.Add(new PersonSample(name, image, resolution, cam, latent));
        }
        return new PersonDataset(samples, numWs);
    }

    static List<(string Name, float[] Camera)> ReadLabels(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            if (!doc.RootElement.TryGetProperty("labels", out var arr) || arr.ValueKind != JsonValueKind.Array)
                throw new DatasetException(json, "no \"labels\" array");
            var list = new List<(string, float[])>();
            foreach (var e in arr.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2) throw new DatasetException(json, "each label must be [\"file.png\", [25 floats]]");
                var name = e[0].GetString() ?? throw new DatasetException(json, "label without a file name");
                var cam = e[1].EnumerateArray().Select(v => v.GetSingle()).ToArray();
                if (cam.Length != 25) throw new DatasetException(json, $"label of '{name}' has {cam.Length} values, expected 25");
                if (cam.Any(v => !float.IsFinite(v))) throw new DatasetException(json, $"label of '{name}' has non-finite values");
                list.Add((name, cam));
            }
            if (list.Count == 0) throw new DatasetException(json, "no labels");
            return list;
        }
        catch (JsonException e) { throw new DatasetException(json, "invalid JSON: " + e.Message); }
        catch (InvalidOperationException e) { throw new DatasetException(json, "unexpected JSON value: " + e.Message); }
    }

    /// <summary>Reads an RGB image as CHW floats in [-1, 1]; it must be resolution × resolution.</summary>
    public static float[] ReadImage(string path, int resolution)
    {
        if (!File.Exists(path)) throw new DatasetException(path, "image not found");
        Image<Rgb24> img;
        try { img = Image.Load<Rgb24>(path); }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        { throw new DatasetException(path, "unreadable image: " + e.Message); }
        using (img)
        {
            if (img.Width != resolution || img.Height != resolution)
                throw new DatasetException(path, $"image is {img.Width}x{img.Height}, expected {resolution}x{resolution} (aligned EG3D crop)");
            var data = new float[3 * resolution * resolution];
            int plane = resolution * resolution;
            var pixels = new Rgb24[plane];
            img.CopyPixelDataTo(pixels);
            for (int i = 0; i < plane; i++)
            {
                data[i] = pixels[i].R / 127.5f - 1f;
                data[plane + i] = pixels[i].G / 127.5f - 1f;
                data[2 * plane + i] = pixels[i].B / 127.5f - 1f;
            }
            return data;
        }
    }

    static float[] ExpandLatent(float[] v, string path, int numWs, int wDim)
    {
        if (v.Length == numWs * wDim) return v;
        if (v.Length == wDim) return Enumerable.Range(0, numWs).SelectMany(_ => v).ToArray();
        throw new DatasetException(path, $"anchor has {v.Length} values; expected [{numWs},{wDim}] (W+) or [{wDim}] (W)");
    }
}
