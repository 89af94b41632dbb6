// The project's own 5×9 bitmap font for captions, tick labels and titles (no font files, no text-drawing package):
// printable ASCII plus θ ψ × ± °. Each glyph is 9 rows of 5 pixels — rows 0–6 above the baseline, 7–8 descenders —
// stored as 9 hex bytes, one per row, bit 4 = leftmost pixel.
namespace My3DGen.Models.Imaging;

internal static class BitmapFont
{
    /// <summary>Glyph width in pixels (before scaling).</summary>
    internal const int GlyphWidth = 5;
    /// <summary>Glyph height in pixels including the two descender rows.</summary>
    internal const int GlyphHeight = 9;
    /// <summary>Horizontal distance between the left edges of neighbouring characters (glyph + 1 blank column).</summary>
    internal const int Advance = 6;
    /// <summary>Blank rows between two lines of text.</summary>
    internal const int LineGap = 2;

    // ' ' (0x20) to '~' (0x7E), six per line.
    static readonly string[] Ascii =
    [
        "000000000000000000", "040404040400040000", "0A0A0A000000000000", "0A0A1F0A1F0A0A0000", "040F140E051E040000", "181902040813030000",
        "0C12140815120D0000", "040404000000000000", "020408080804020000", "080402020204080000", "0004150E1504000000", "0004041F0404000000",
        "00000000000C0C0408", "0000001F0000000000", "00000000000C0C0000", "000102040810000000", "0E11131519110E0000", "040C040404040E0000",
        "0E11010204081F0000", "1F02040201110E0000", "02060A121F02020000", "1F101E0101110E0000", "0608101E11110E0000", "1F0102040808080000",
        "0E11110E11110E0000", "0E11110F01020C0000", "000C0C000C0C000000", "000C0C000C0C040800", "020408100804020000", "00001F001F00000000",
        "080402010204080000", "0E1101020400040000", "0E11010D15150E0000", "0E11111F1111110000", "1E11111E11111E0000", "0E11101010110E0000",
        "1C12111111121C0000", "1F10101E10101F0000", "1F10101E1010100000", "0E11101711110F0000", "1111111F1111110000", "0E04040404040E0000",
        "0702020202120C0000", "111214181412110000", "1010101010101F0000", "111B15151111110000", "111119151311110000", "0E11111111110E0000",
        "1E11111E1010100000", "0E11111115120D0000", "1E11111E1412110000", "0F10100E01011E0000", "1F0404040404040000", "1111111111110E0000",
        "11111111110A040000", "1111111515150A0000", "11110A040A11110000", "11110A040404040000", "1F01020408101F0000", "0E08080808080E0000",
        "001008040201000000", "0E02020202020E0000", "040A11000000000000", "000000000000001F00", "080402000000000000", "00000E010F110F0000",
        "1010161911111E0000", "00000E1010110E0000", "01010D1311110F0000", "00000E111F100E0000", "0609081C0808080000", "00000F1111130D010E",
        "101016191111110000", "04000C0404040E0000", "02000602020202120C", "101012141814120000", "0C04040404040E0000", "00001A151515150000",
        "000016191111110000", "00000E1111110E0000", "00001E111119161010", "00000F1111130D0101", "000016191010100000", "00000F100E011E0000",
        "08081C080809060000", "0000111111130D0000", "00001111110A040000", "0000111115150A0000", "0000110A040A110000", "0000111111130D010E",
        "00001F0204081F0000", "030404080404030000", "040404040404040404", "180404020404180000", "000008150200000000",
    ];

    static readonly Dictionary<char, string> Extra = new()
    {
        ['θ'] = "0E11111F11110E0000",
        ['×'] = "0000110A040A110000",
        ['±'] = "04041F0404001F0000",
        ['°'] = "0C120C000000000000",
        ['ψ'] = "1515150E0404040000",
    };

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) of <paramref name="c"/>'s glyph is ink.</summary>
    internal static bool Ink(char c, int x, int y) => (Rows(c)[y] >> (GlyphWidth - 1 - x) & 1) != 0;

    /// <summary>The 9 row bitmaps of <paramref name="c"/>'s glyph (bit 4 = leftmost pixel); U+2212 minus draws as '-',
    /// characters without a glyph as '?'.</summary>
    internal static byte[] Rows(char c) => c switch
    {
        >= ' ' and <= '~' => DecodedAscii[c - ' '],
        '\u2212' => DecodedAscii['-' - ' '],
        _ => DecodedExtra.TryGetValue(c, out var g) ? g : DecodedAscii['?' - ' '],
    };

    static readonly byte[][] DecodedAscii = Ascii.Select(Convert.FromHexString).ToArray();
    static readonly Dictionary<char, byte[]> DecodedExtra = Extra.ToDictionary(kv => kv.Key, kv => Convert.FromHexString(kv.Value));
}
