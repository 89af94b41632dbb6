// Image files for the metrics: one PNG/JPEG, or every PNG/JPEG of a folder (sorted by name), decoded to RGB; an
// unreadable file is one typed error naming it. Also converts images to [0,1] / [-1,1] NCHW tensors.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Metrics;

/// <summary>A named image (file name without folder).</summary>
/// <param name="Name">The file name.</param>
/// <param name="Image">The decoded pixels.</param>
/// <param name="Path">The file it was read from (for error messages), or null.</param>
public sealed record NamedImage(string Name, RgbImage Image, string? Path = null);

/// <summary>Reading image files and sets for the metrics.</summary>
public static class MetricImages
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The images at <paramref name="path"/>: the file itself, or every .png/.jpg/.jpeg in the folder by name.</summary>
    /// <exception cref="FileFormatException">Missing path, a folder without images, or an unreadable image (named).</exception>
    public static IReadOnlyList<NamedImage> Read(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new FileFormatException(path, "folder has no .png/.jpg/.jpeg images");
            return files.Select(f => new NamedImage(Path.GetFileName(f), ReadFile(f), f)).ToList();
        }
        if (!File.Exists(path)) throw new FileFormatException(path, "no such image file or folder");
        return [new NamedImage(Path.GetFileName(path), ReadFile(path), path)];
    }

    /// <summary>Decodes one PNG/JPEG file.</summary>
    public static RgbImage ReadFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new FileFormatException(path, "cannot read the file: " + (e is UnauthorizedAccessException ? "permission denied" : "I/O error"), inner: e); }
        try { return RgbImage.Decode(bytes); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Decoders fail on corrupt or truncated data with many exception types.
            throw new FileFormatException(path, "unreadable image (not a valid PNG or JPEG, or truncated)", inner: e);
        }
    }

    /// <summary>Images of equal size as [N,3,H,W] in [lo, hi] (pixel/255 mapped linearly).</summary>
    public static Tensor ToTensor(IBackend backend, IReadOnlyList<RgbImage> images, float lo = 0f, float hi = 1f)
    {
        int w = images[0].Width, h = images[0].Height, plane = w * h;
        var data = new float[images.Count * 3 * plane];
        float scale = (hi - lo) / 255f;
        for (int n = 0; n < images.Count; n++)
        {
            var px = images[n].Pixels;
            if (images[n].Width != w || images[n].Height != h) throw new ArgumentException("images of one batch must have equal sizes");
            int o = n * 3 * plane;
            for (int i = 0; i < plane; i++)
                for (int c = 0; c < 3; c++) data[o + c * plane + i] = lo + px[i * 3 + c] * scale;
        }
        return Tensor.FromArray(backend, data, images.Count, 3, h, w);
    }
}
