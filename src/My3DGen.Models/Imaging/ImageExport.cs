// Converts generator tensors to 8-bit images: RGB in [−1,1] → x·127.5+128 clamped (EG3D's scripts), depth min-max
// normalised to grey; and writes animated GIFs. Labelled grids live in LabelledGrid, plots in LinePlot.
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Imaging;

/// <summary>Tensor → picture conversions for generator outputs, and animated GIF output.</summary>
public static class ImageExport
{
    /// <summary>Image <paramref name="index"/> of a batch [N,3,H,W] in [−1,1] as an RGB image (x·127.5 + 128, clamped, truncated like EG3D).</summary>
    public static RgbImage FromRgb(Tensor images, int index = 0)
    {
        if (images.Rank != 4 || images.Shape[1] != 3) throw new ArgumentException($"expected [N,3,H,W], got [{string.Join(",", images.Shape)}]", nameof(images));
        return FromChw(images.Slice(0, index, 1).ToArray(), images.Shape[2], images.Shape[3]);
    }

    /// <summary>One CHW image of 3·<paramref name="h"/>·<paramref name="w"/> floats in [−1,1] as an RGB image (as <see cref="FromRgb"/>).</summary>
    /// <exception cref="ArgumentException">The array does not hold 3·h·w values.</exception>
    public static RgbImage FromChw(float[] data, int h, int w)
    {
        if (data.Length != 3 * h * w) throw new ArgumentException($"expected 3x{h}x{w} values, got {data.Length}", nameof(data));
        var img = new RgbImage(w, h);
        var px = img.Pixels;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    px[(y * w + x) * 3 + c] = ToByte(data[(c * h + y) * w + x]);
        return img;
    }

    /// <summary>Depth [N,1,H,W] of image <paramref name="index"/> as grey, near = white, min-max normalised over that image.</summary>
    public static RgbImage FromDepth(Tensor depth, int index = 0)
    {
        if (depth.Rank != 4 || depth.Shape[1] != 1) throw new ArgumentException($"expected [N,1,H,W], got [{string.Join(",", depth.Shape)}]", nameof(depth));
        int h = depth.Shape[2], w = depth.Shape[3];
        var d = depth.Slice(0, index, 1).ToArray();
        float lo = d.Min(), hi = d.Max(), span = hi > lo ? hi - lo : 1f;
        var img = new RgbImage(w, h);
        for (int i = 0; i < w * h; i++)
        {
            byte v = (byte)Math.Clamp((int)(255f * (1f - (d[i] - lo) / span)), 0, 255);
            img.Pixels[3 * i] = img.Pixels[3 * i + 1] = img.Pixels[3 * i + 2] = v;
        }
        return img;
    }

    static byte ToByte(float v) => (byte)Math.Clamp((int)(v * 127.5f + 128f), 0, 255);

    /// <summary>Writes an endlessly looping animated GIF of equally sized <paramref name="frames"/> to <paramref name="path"/>
    /// atomically; <paramref name="frameDelayCs"/> is the delay per frame in 1/100 s.</summary>
    public static void SaveGif(IReadOnlyList<RgbImage> frames, string path, int frameDelayCs = 4)
    {
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame", nameof(frames));
        if (frames.Any(f => f.Width != frames[0].Width || f.Height != frames[0].Height))
            throw new ArgumentException("all GIF frames must have the same size", nameof(frames));
        var gif = ImageSharpBridge.EncodeGif(frames, frameDelayCs);
        AtomicFile.Write(path, s => s.Write(gif));
    }
}
