// Draws text with the built-in 5×9 bitmap font onto an RgbImage: measuring, multi-line blocks with left / centre /
// right alignment, integer scaling (each font pixel becomes scale×scale pixels), vertical text and word wrapping.
namespace My3DGen.Models.Imaging;

/// <summary>How the lines of a text block are placed relative to the anchor x.</summary>
public enum TextAlign
{
    /// <summary>Lines start at x.</summary>
    Left,
    /// <summary>Lines are centred on x.</summary>
    Center,
    /// <summary>Lines end at x.</summary>
    Right,
}

/// <summary>Text on pictures with the engine's own bitmap font (printable ASCII plus θ ψ × ± °; other characters draw as '?').</summary>
public static class TextRenderer
{
    /// <summary>Height in pixels of one line of text at <paramref name="scale"/>, descenders included.</summary>
    public static int LineHeight(int scale = 1) => BitmapFont.GlyphHeight * scale;

    /// <summary>Distance in pixels between the tops of two consecutive lines at <paramref name="scale"/>.</summary>
    public static int LinePitch(int scale = 1) => (BitmapFont.GlyphHeight + BitmapFont.LineGap) * scale;

    /// <summary>Width and height in pixels of <paramref name="text"/> (lines split at '\n') drawn at <paramref name="scale"/>.</summary>
    public static (int Width, int Height) Measure(string text, int scale = 1)
    {
        var lines = Lines(text);
        int width = lines.Max(l => LineWidth(l, scale));
        return (width, lines.Length * LinePitch(scale) - BitmapFont.LineGap * scale);
    }

    static int LineWidth(string line, int scale) => line.Length == 0 ? 0 : (line.Length * BitmapFont.Advance - 1) * scale;

    static string[] Lines(string text) => text.Replace("\r", "").Split('\n');

    /// <summary>Draws <paramref name="text"/> with the top of its first line at <paramref name="y"/>; <paramref name="x"/> is the
    /// left edge, centre or right edge of every line depending on <paramref name="align"/>. Clipped to the image.</summary>
    public static void Draw(RgbImage image, string text, int x, int y, Rgb color, int scale = 1, TextAlign align = TextAlign.Left)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        foreach (var line in Lines(text))
        {
            int w = LineWidth(line, scale);
            int left = align switch { TextAlign.Center => x - w / 2, TextAlign.Right => x - w, _ => x };
            for (int i = 0; i < line.Length; i++)
                DrawGlyph(line[i], left + i * BitmapFont.Advance * scale, y, scale, (gx, gy) => image.FillRectangle(gx, gy, scale, scale, color));
            y += LinePitch(scale);
        }
    }

    /// <summary>Draws one line of <paramref name="text"/> rotated a quarter turn anticlockwise (reading bottom to top, as a
    /// y-axis label), centred vertically on <paramref name="centerY"/>, with its block's left edge at <paramref name="x"/>.</summary>
    public static void DrawVertical(RgbImage image, string text, int x, int centerY, Rgb color, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int w = LineWidth(text, scale), bottom = centerY + w / 2;
        // A horizontal pixel (hx, hy) of the unrotated line goes to (x + hy, bottom − hx).
        for (int i = 0; i < text.Length; i++)
            DrawGlyph(text[i], i * BitmapFont.Advance * scale, 0, scale,
                (hx, hy) => image.FillRectangle(x + hy, bottom - hx - scale + 1, scale, scale, color));
    }

    static void DrawGlyph(char c, int left, int top, int scale, Action<int, int> paintPixel)
    {
        var rows = BitmapFont.Rows(c);
        for (int gy = 0; gy < BitmapFont.GlyphHeight; gy++)
            for (int gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                if ((rows[gy] >> (BitmapFont.GlyphWidth - 1 - gx) & 1) != 0)
                    paintPixel(left + gx * scale, top + gy * scale);
    }

    /// <summary>Breaks <paramref name="text"/> into lines no wider than <paramref name="maxWidth"/> pixels at <paramref name="scale"/>,
    /// at spaces where possible (a single word wider than the limit is cut); existing '\n' breaks are kept.</summary>
    public static string Wrap(string text, int maxWidth, int scale = 1)
    {
        int maxChars = Math.Max(1, (maxWidth / scale + 1) / BitmapFont.Advance);
        var result = new List<string>();
        foreach (var line in Lines(text))
        {
            var current = "";
            foreach (var word in line.Split(' '))
            {
                var w = word;
                while (w.Length > maxChars)   // cut over-long words
                {
                    if (current.Length > 0) { result.Add(current); current = ""; }
                    result.Add(w[..maxChars]);
                    w = w[maxChars..];
                }
                if (current.Length == 0) current = w;
                else if (current.Length + 1 + w.Length <= maxChars) current += " " + w;
                else { result.Add(current); current = w; }
            }
            result.Add(current);
        }
        return string.Join('\n', result);
    }
}
