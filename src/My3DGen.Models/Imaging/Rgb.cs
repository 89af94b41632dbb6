// An 8-bit RGB colour and the few named colours the pictures use (grids, plots, text).
namespace My3DGen.Models.Imaging;

/// <summary>An opaque 8-bit sRGB colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure white (page background).</summary>
    public static Rgb White => new(255, 255, 255);
    /// <summary>Pure black.</summary>
    public static Rgb Black => new(0, 0, 0);
    /// <summary>Dark grey used for text, axes and tick marks.</summary>
    public static Rgb Ink => new(40, 40, 40);
    /// <summary>Light grey used for grid lines and frames.</summary>
    public static Rgb LightGrey => new(225, 225, 225);
    /// <summary>Medium grey used for secondary text and borders.</summary>
    public static Rgb Grey => new(150, 150, 150);

    /// <summary>Plot colours, distinguishable for the common colour-vision deficiencies (blue, orange, green, red, purple, brown).</summary>
    public static IReadOnlyList<Rgb> SeriesPalette { get; } =
        [new(31, 119, 180), new(230, 120, 20), new(44, 160, 44), new(200, 40, 40), new(148, 103, 189), new(140, 86, 75)];
}
