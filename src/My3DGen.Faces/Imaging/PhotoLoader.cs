// Reads a photo (JPEG, PNG, BMP, GIF, WebP, TIFF...) into an RgbImage with its EXIF orientation applied, so a phone
// photo taken sideways is processed upright.
using My3DGen.Models.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace My3DGen.Faces.Imaging;

/// <summary>Decodes photos honouring EXIF orientation.</summary>
public static class PhotoLoader
{
    /// <summary>File extensions <see cref="Load"/> is tried on when a folder is given.</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".tga", ".pbm" };

    /// <summary>Loads <paramref name="path"/> as upright RGB; throws <see cref="PhotoException"/> for any unreadable file.</summary>
    public static RgbImage Load(string path)
    {
        if (!File.Exists(path)) throw new PhotoException(path, "file not found");
        try
        {
            using var image = Image.Load<Rgb24>(path);
            image.Mutate(c => c.AutoOrient());
            var bytes = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(bytes);
            return new RgbImage(image.Width, image.Height, bytes);
        }
        catch (UnknownImageFormatException) { throw new PhotoException(path, "not an image file (unknown format)"); }
        catch (InvalidImageContentException e) { throw new PhotoException(path, $"damaged image ({e.Message.Split('\n')[0]})", e); }
        catch (NotSupportedException e) { throw new PhotoException(path, $"unsupported image ({e.Message.Split('\n')[0]})", e); }
        catch (IOException e) { throw new PhotoException(path, $"cannot be read ({e.Message.Split('\n')[0]})", e); }
    }
}
