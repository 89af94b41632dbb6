// A float RGB image (HWC, values 0..255) for resampling: the aligned crop, the model inputs and their test variants
// (mirrored, rotated, rescaled, padded) are all computed from it.
using My3DGen.Models.Imaging;

namespace My3DGen.Faces.Imaging;

/// <summary>An RGB image of floats in 0..255, interleaved (y·W + x)·3 + c.</summary>
public sealed class PlanarImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>The values, (y·Width + x)·3 + c.</summary>
    public float[] Data { get; }

    /// <summary>A black image.</summary>
    public PlanarImage(int width, int height) { Width = width; Height = height; Data = new float[width * height * 3]; }

    /// <summary>The float copy of <paramref name="image"/>.</summary>
    public static PlanarImage From(RgbImage image)
    {
        var p = new PlanarImage(image.Width, image.Height);
        for (int i = 0; i < p.Data.Length; i++) p.Data[i] = image.Pixels[i];
        return p;
    }

    /// <summary>Rounded and clamped to bytes.</summary>
    public RgbImage ToRgb()
    {
        var bytes = new byte[Data.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(Data[i]), 0, 255);
        return new RgbImage(Width, Height, bytes);
    }

    /// <summary>Bilinear sample at continuous pixel coordinates (pixel centres at integer + 0.5); zero outside.</summary>
    public void SampleBilinear(double x, double y, Span<float> rgb)
    {
        double fx = x - 0.5, fy = y - 0.5;
        int x0 = (int)Math.Floor(fx), y0 = (int)Math.Floor(fy);
        float ax = (float)(fx - x0), ay = (float)(fy - y0);
        rgb.Clear();
        for (int dy = 0; dy < 2; dy++)
        {
            int yy = y0 + dy;
            if ((uint)yy >= (uint)Height) continue;
            float wy = dy == 0 ? 1 - ay : ay;
            for (int dx = 0; dx < 2; dx++)
            {
                int xx = x0 + dx;
                if ((uint)xx >= (uint)Width) continue;
                float w = wy * (dx == 0 ? 1 - ax : ax);
                int i = (yy * Width + xx) * 3;
                rgb[0] += w * Data[i]; rgb[1] += w * Data[i + 1]; rgb[2] += w * Data[i + 2];
            }
        }
    }
}
