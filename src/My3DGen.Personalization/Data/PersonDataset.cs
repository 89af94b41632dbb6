// Loads a person's folder in My3DGen's layout: aligned PNG/JPEG photos, EG3D's dataset.json camera labels and
// one latent anchor per photo (`<image>_latent.npy`, [1,14,512], [14,512], [1,512] or [512]; or all anchors in
// one safetensors file keyed by image name). Every problem is a one-line DatasetException naming the file once.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using My3DGen.Engine.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Data;

/// <summary>The photos of one person with cameras and latent anchors.</summary>
public sealed class PersonDataset
{
    string? _fingerprint;
    /// <summary>The samples, in dataset.json order.</summary>
    public IReadOnlyList<PersonSample> Samples { get; }
    /// <summary>The photos' resolution R (all equal).</summary>
    public int Resolution { get; }
    /// <summary>ws per anchor (14 for EG3D at 512²).</summary>
    public int NumWs { get; }

    /// <summary>A dataset of in-memory samples (build them with <see cref="PersonSample.Create"/> to validate them).</summary>
    /// <exception cref="ArgumentException">No samples, mixed resolutions, or a latent that is not <paramref name="numWs"/> ws.</exception>
    public PersonDataset(IReadOnlyList<PersonSample> samples, int numWs)
    {
        if (samples.Count == 0) throw new ArgumentException("a dataset needs at least one sample", nameof(samples));
        foreach (var s in samples)
        {
            if (s.Resolution != samples[0].Resolution)
                throw new ArgumentException($"{s.Name}: resolution {s.Resolution} differs from {samples[0].Name}'s {samples[0].Resolution}", nameof(samples));
            if (numWs < 1 || s.Latent.Length % numWs != 0)
                throw new ArgumentException($"{s.Name}: latent of {s.Latent.Length} values is not {numWs} ws", nameof(samples));
        }
        Samples = samples; Resolution = samples[0].Resolution; NumWs = numWs;
    }

    /// <summary>Content hash of names, photos, cameras and anchors (16 hex digits); a checkpoint resumes only on the same data.</summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    string ComputeFingerprint()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var s in Samples)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(s.Name + "\0"));
            foreach (var part in new[] { s.Image, s.Camera, s.Latent })
                sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(part.AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>Loads <paramref name="folder"/>; images must be <paramref name="resolution"/>² and anchors [numWs, wDim] or [wDim]
    /// (a leading 1 is allowed). With <paramref name="anchorsPath"/> the anchors come from that safetensors file (tensor per
    /// image name without extension) instead of <c>&lt;image&gt;_latent.npy</c> files.</summary>
    /// <exception cref="DatasetException">Any problem with the folder, dataset.json, a photo or an anchor; names the file once.</exception>
    public static PersonDataset Load(string folder, int resolution, int numWs = 14, int wDim = 512, string? anchorsPath = null)
    {
        if (!Directory.Exists(folder)) throw new DatasetException(folder, "folder not found");
        var json = Path.Combine(folder, "dataset.json");
        if (!File.Exists(json))
            throw new DatasetException(json, Directory.EnumerateFileSystemEntries(folder).Any()
                ? "missing: the folder needs EG3D's dataset.json with camera labels"
                : "missing: the folder is empty (it needs aligned photos, dataset.json and latent anchors)");
        var labels = ReadLabels(json);
        if (anchorsPath != null && !File.Exists(anchorsPath)) throw new DatasetException(anchorsPath, "anchors file not found");
        using var anchors = anchorsPath == null ? null : SafeTensorsFile.Open(anchorsPath);
        var samples = new List<PersonSample>();
        foreach (var (name, cam) in labels)
        {
            var image = ReadImage(Path.Combine(folder, name), resolution);
            float[] latent;
            if (anchors != null)
            {
                var key = Path.GetFileNameWithoutExtension(name);
                if (!anchors.Contains(key)) throw new DatasetException(anchorsPath!, $"no anchor for image '{name}' (expected tensor '{key}')");
                latent = ExpandLatent(anchors.Info(key).Shape, anchors.ReadFloat32(key), anchorsPath!, numWs, wDim, $"anchor '{key}'");
            }
            else
            {
                var npy = Path.Combine(folder, Path.GetFileNameWithoutExtension(name) + "_latent.npy");
                if (!File.Exists(npy)) throw new DatasetException(npy, $"missing latent anchor for '{name}' (run `my3dgen project` or pass --anchors)");
                NpyArray arr;
                try { arr = NpyFile.Read(npy); }
                catch (FileFormatException e) { throw new DatasetException(npy, WithoutPath(e.Message, npy), e); }
                latent = ExpandLatent(arr.Shape, arr.Data, npy, numWs, wDim, "anchor");
            }
            samples.Add(new PersonSample(name, image, resolution, cam, latent));
        }
        return new PersonDataset(samples, numWs);
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r', ' ', '.');

    /// <summary>"path: problem" → "problem" (the wrapping exception names the path itself).</summary>
    static string WithoutPath(string message, string path) => message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;

    /// <summary>The (image name, 25-float camera) pairs of an EG3D dataset.json, in file order.</summary>
    internal static List<(string Name, float[] Camera)> ReadLabels(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("labels", out var arr) || arr.ValueKind != JsonValueKind.Array)
                throw new DatasetException(json, "no \"labels\" array");
            var list = new List<(string, float[])>();
            foreach (var e in arr.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2 || e[0].ValueKind != JsonValueKind.String || e[1].ValueKind != JsonValueKind.Array)
                    throw new DatasetException(json, "each label must be [\"file.png\", [25 numbers]]");
                var name = e[0].GetString()!;
                var cam = e[1].EnumerateArray().Select(v => v.GetSingle()).ToArray();
                if (cam.Length != 25) throw new DatasetException(json, $"label of '{name}' has {cam.Length} numbers, expected 25");
                if (cam.Any(v => !float.IsFinite(v))) throw new DatasetException(json, $"label of '{name}' has non-finite values");
                list.Add((name, cam));
            }
            if (list.Count == 0) throw new DatasetException(json, "no labels");
            return list;
        }
        catch (JsonException e) { throw new DatasetException(json, "not valid JSON: " + e.Message, e); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        { throw new DatasetException(json, "unexpected JSON value: " + e.Message, e); }
    }

    /// <summary>Reads an RGB image as CHW floats in [-1, 1]; it must be resolution × resolution.</summary>
    /// <exception cref="DatasetException">Missing, unreadable, truncated or corrupt, or of another size.</exception>
    public static float[] ReadImage(string path, int resolution)
    {
        var (data, width, height) = ReadAnySize(path);
        if (width != resolution || height != resolution)
            throw new DatasetException(path, $"image is {width}x{height}, expected {resolution}x{resolution} (aligned EG3D crop)");
        return data;
    }

    /// <summary>Reads an RGB image of any size as CHW floats in [-1, 1] (3·height·width values) with its size.</summary>
    /// <exception cref="DatasetException">Missing, unreadable, truncated or corrupt.</exception>
    public static (float[] Data, int Width, int Height) ReadAnySize(string path)
    {
        if (!File.Exists(path)) throw new DatasetException(path, "image not found");
        Image<Rgb24> img;
        try { img = Image.Load<Rgb24>(path); }
        catch (Exception e) when (e is IOException and not EndOfStreamException or UnauthorizedAccessException)
        { throw new DatasetException(path, "cannot read the file: " + (e is UnauthorizedAccessException ? "permission denied" : "I/O error"), e); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Decoders fail on corrupt or truncated data with many exception types (even IndexOutOfRangeException).
            var why = e switch
            {
                UnknownImageFormatException => "not a PNG or JPEG image",
                ImageFormatException => FirstLine(e.Message),
                _ => "corrupt or truncated image data",
            };
            throw new DatasetException(path, "unreadable image: " + why, e);
        }
        using (img)
        {
            int plane = img.Width * img.Height;
            var data = new float[3 * plane];
            var pixels = new Rgb24[plane];
            img.CopyPixelDataTo(pixels);
            for (int i = 0; i < plane; i++)
            {
                data[i] = pixels[i].R / 127.5f - 1f;
                data[plane + i] = pixels[i].G / 127.5f - 1f;
                data[2 * plane + i] = pixels[i].B / 127.5f - 1f;
            }
            return (data, img.Width, img.Height);
        }
    }

    /// <summary>Checks an anchor's shape ([1,]numWs,wDim or [1,]wDim) and values, and repeats a W anchor numWs times.</summary>
    static float[] ExpandLatent(int[] shape, float[] v, string path, int numWs, int wDim, string what)
    {
        var dims = shape.SkipWhile(d => d == 1).ToArray();
        if (dims.Length == 0 && shape.Length > 0) dims = [1];
        bool wPlus = dims.SequenceEqual(new[] { numWs, wDim }), w = dims.SequenceEqual(new[] { wDim });
        if (!wPlus && !w)
            throw new DatasetException(path, $"{what} has shape [{string.Join(",", shape)}]; expected [{numWs},{wDim}] (W+) or [{wDim}] (W), optionally with a leading 1");
        if (v.Any(x => !float.IsFinite(x))) throw new DatasetException(path, $"{what} has non-finite values");
        return wPlus ? v : Enumerable.Range(0, numWs).SelectMany(_ => v).ToArray();
    }
}
