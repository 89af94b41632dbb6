// Converts generator tensors to 8-bit images and writes them: RGB in [−1,1] → x·127.5+128 clamped (EG3D's scripts),
// depth min-max normalised to grey, contact sheets (grid of equally sized images) and animated GIFs.
using My3DGen.Engine.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace My3DGen.Models.Imaging;

public static class ImageExport
{
    /// <summary>Image <paramref name="index"/> of a batch [N,3,H,W] in [−1,1] as an RGB image (x·127.5 + 128, clamped, truncated like EG3D).</summary>
    public static Image<Rgb24> FromRgb(Tensor images, int index = 0)
    {
        int h = images.Shape[2], w = images.Shape[3];
        if (images.Rank != 4 || images.Shape[1] != 3) throw new ArgumentException($"expected [N,3,H,W], got [{string.Join(",", images.Shape)}]", nameof(images));
        var data = images.Slice(0, index, 1).ToArray();
        var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[x, y] = new Rgb24(ToByte(data[y * w + x]), ToByte(data[(h + y) * w + x]), ToByte(data[(2 * h + y) * w + x]));
        return img;
    }

    /// <summary>Depth [N,1,H,W] of image <paramref name="index"/> as grey, near = white, min-max normalised over that image.</summary>
    public static Image<Rgb24> FromDepth(Tensor depth, int index = 0)
    {
        int h = depth.Shape[2], w = depth.Shape[3];
        var d = depth.Slice(0, index, 1).ToArray();
        float lo = d.Min(), hi = d.Max(), span = hi > lo ? hi - lo : 1f;
        var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte v = (byte)Math.Clamp((int)(255f * (1f - (d[y * w + x] - lo) / span)), 0, 255);
                img[x, y] = new Rgb24(v, v, v);
            }
        return img;
    }

    static byte ToByte(float v) => (byte)Math.Clamp((int)(v * 127.5f + 128f), 0, 255);

    /// <summary>Resizes (nearest, for small raw/depth images) to <paramref name="size"/>² when needed.</summary>
    public static Image<Rgb24> Fit(Image<Rgb24> img, int size)
    {
        if (img.Width == size && img.Height == size) return img;
        return img.Clone(c => c.Resize(size, size, KnownResamplers.NearestNeighbor));
    }

    /// <summary>A grid with <paramref name="columns"/> columns of tiles, each scaled to <paramref name="tile"/>².</summary>
    public static Image<Rgb24> ContactSheet(IReadOnlyList<Image<Rgb24>> tiles, int columns, int tile)
    {
        int rows = (tiles.Count + columns - 1) / columns;
        var sheet = new Image<Rgb24>(columns * tile, rows * tile);
        for (int i = 0; i < tiles.Count; i++)
        {
            using var t = tiles[i].Clone(c => c.Resize(tile, tile));
            sheet.Mutate(c => c.DrawImage(t, new Point(i % columns * tile, i / columns * tile), 1f));
        }
        return sheet;
    }

    /// <summary>Writes an endlessly looping animated GIF, atomically; <paramref name="frameDelayCs"/> in 1/100 s.</summary>
    public static void SaveGif(IReadOnlyList<Image<Rgb24>> frames, string path, int frameDelayCs = 4)
    {
        using var gif = frames[0].Clone();
        gif.Metadata.GetGifMetadata().RepeatCount = 0;
        gif.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = frameDelayCs;
        for (int i = 1; i < frames.Count; i++)
        {
            var f = gif.Frames.AddFrame(frames[i].Frames.RootFrame);
            f.Metadata.GetGifMetadata().FrameDelay = frameDelayCs;
        }
        Engine.IO.AtomicFile.Write(path, s => gif.SaveAsGif(s));
    }
}
