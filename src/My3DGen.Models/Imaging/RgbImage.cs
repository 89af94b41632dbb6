// A plain 8-bit RGB picture (row-major, 3 bytes per pixel) with the small set of drawing operations the reports need
// (fill, lines, pasting a scaled picture) and PNG output. Library users never see an ImageSharp type.
using My3DGen.Engine.IO;

namespace My3DGen.Models.Imaging;

/// <summary>An 8-bit RGB image held in memory: row-major, 3 bytes (R, G, B) per pixel, origin at the top-left.</summary>
public sealed class RgbImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>The pixel bytes, <c>(y·Width + x)·3 + channel</c>; writable, length Width·Height·3.</summary>
    public byte[] Pixels { get; }

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image filled with <paramref name="background"/> (white by default).</summary>
    public RgbImage(int width, int height, Rgb? background = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}×{height}");
        Width = width; Height = height;
        Pixels = new byte[checked(width * height * 3)];
        Fill(background ?? Rgb.White);
    }

    /// <summary>Wraps existing RGB bytes (not copied); <paramref name="pixels"/> must hold exactly width·height·3 bytes.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}×{height}");
        if (pixels.Length != (long)width * height * 3)
            throw new ArgumentException($"expected {width}×{height}×3 = {(long)width * height * 3} bytes, got {pixels.Length}", nameof(pixels));
        Width = width; Height = height; Pixels = pixels;
    }

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>); throws outside the image.</summary>
    public Rgb this[int x, int y]
    {
        get { int i = Index(x, y); return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]); }
        set { int i = Index(x, y); Pixels[i] = value.R; Pixels[i + 1] = value.G; Pixels[i + 2] = value.B; }
    }

    int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(x), $"({x},{y}) is outside {Width}×{Height}");
        return (y * Width + x) * 3;
    }

    /// <summary>Sets a pixel if it lies inside the image; does nothing otherwise (drawing is clipped).</summary>
    public void Plot(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = color.R; Pixels[i + 1] = color.G; Pixels[i + 2] = color.B;
    }

    /// <summary>Paints the whole image with <paramref name="color"/>.</summary>
    public void Fill(Rgb color) => FillRectangle(0, 0, Width, Height, color);

    /// <summary>Paints the rectangle with top-left (<paramref name="x"/>, <paramref name="y"/>), clipped to the image.</summary>
    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y), x1 = Math.Min(Width, x + width), y1 = Math.Min(Height, y + height);
        for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++)
            {
                int i = (yy * Width + xx) * 3;
                Pixels[i] = color.R; Pixels[i + 1] = color.G; Pixels[i + 2] = color.B;
            }
    }

    /// <summary>Outlines the rectangle with a 1-pixel border, clipped to the image.</summary>
    public void DrawRectangle(int x, int y, int width, int height, Rgb color)
    {
        FillRectangle(x, y, width, 1, color);
        FillRectangle(x, y + height - 1, width, 1, color);
        FillRectangle(x, y, 1, height, color);
        FillRectangle(x + width - 1, y, 1, height, color);
    }

    /// <summary>A straight line (Bresenham) from (x0,y0) to (x1,y1), <paramref name="thickness"/> pixels wide (square pen), clipped.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int lo = -(thickness - 1) / 2;
        while (true)
        {
            if (thickness <= 1) Plot(x0, y0, color);
            else FillRectangle(x0 + lo, y0 + lo, thickness, thickness, color);
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Copies <paramref name="source"/> with its top-left at (<paramref name="x"/>, <paramref name="y"/>), clipped.</summary>
    public void DrawImage(RgbImage source, int x, int y)
    {
        int x0 = Math.Max(0, x), x1 = Math.Min(Width, x + source.Width);
        if (x1 <= x0) return;
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + source.Height); yy++)
            Array.Copy(source.Pixels, ((yy - y) * source.Width + (x0 - x)) * 3, Pixels, (yy * Width + x0) * 3, (x1 - x0) * 3);
    }

    /// <summary>A copy scaled to <paramref name="width"/>×<paramref name="height"/> (bicubic; nearest-neighbour when <paramref name="nearest"/>).</summary>
    public RgbImage Resized(int width, int height, bool nearest = false) =>
        width == Width && height == Height ? new RgbImage(width, height, (byte[])Pixels.Clone()) : ImageSharpBridge.Resize(this, width, height, nearest);

    /// <summary>The image encoded as PNG.</summary>
    public byte[] ToPng() => ImageSharpBridge.EncodePng(this);

    /// <summary>Writes the image as PNG to <paramref name="path"/> atomically (temp file + rename: never a half-written file).</summary>
    public void SavePng(string path)
    {
        var png = ToPng();
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>Decodes a PNG, GIF (first frame), JPEG or BMP file's bytes into an RGB image.</summary>
    public static RgbImage Decode(byte[] encoded) => ImageSharpBridge.Decode(encoded);
}
