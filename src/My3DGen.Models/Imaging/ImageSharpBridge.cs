// The only place that touches ImageSharp: converts RgbImage to and from ImageSharp images for resizing and
// for PNG / GIF encoding, so the public API speaks RgbImage and bytes only.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace My3DGen.Models.Imaging;

internal static class ImageSharpBridge
{
    internal static Image<Rgb24> ToImageSharp(RgbImage image) => Image.LoadPixelData<Rgb24>(image.Pixels, image.Width, image.Height);

    internal static RgbImage FromImageSharp(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return new RgbImage(image.Width, image.Height, bytes);
    }

    internal static RgbImage Resize(RgbImage image, int width, int height, bool nearest)
    {
        using var img = ToImageSharp(image);
        img.Mutate(c => c.Resize(width, height, nearest ? KnownResamplers.NearestNeighbor : KnownResamplers.Bicubic));
        return FromImageSharp(img);
    }

    internal static byte[] EncodePng(RgbImage image)
    {
        using var img = ToImageSharp(image);
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return ms.ToArray();
    }

    internal static RgbImage Decode(byte[] encoded)
    {
        using var img = Image.Load<Rgb24>(encoded);
        return FromImageSharp(img);
    }

    /// <summary>An endlessly looping animated GIF of equally sized frames; <paramref name="frameDelayCs"/> in 1/100 s.</summary>
    internal static byte[] EncodeGif(IReadOnlyList<RgbImage> frames, int frameDelayCs)
    {
        using var gif = ToImageSharp(frames[0]);
        gif.Metadata.GetGifMetadata().RepeatCount = 0;
        gif.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = frameDelayCs;
        for (int i = 1; i < frames.Count; i++)
        {
            using var next = ToImageSharp(frames[i]);
            var f = gif.Frames.AddFrame(next.Frames.RootFrame);
            f.Metadata.GetGifMetadata().FrameDelay = frameDelayCs;
        }
        using var ms = new MemoryStream();
        gif.SaveAsGif(ms);
        return ms.ToArray();
    }
}
