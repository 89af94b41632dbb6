// The bitmap-font text renderer: exact glyph pixels for a known string, integer scaling, measuring, vertical text,
// fallbacks for characters without a glyph, wrapping, and a sanity check of the whole glyph table.
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Tests.Imaging;

public class TextRendererTests
{
    /// <summary>The ink of <paramref name="img"/> as rows of '#' (any non-white pixel) and '.'.</summary>
    static string[] Ink(RgbImage img) => Enumerable.Range(0, img.Height)
        .Select(y => new string(Enumerable.Range(0, img.Width).Select(x => img[x, y] == Rgb.White ? '.' : '#').ToArray())).ToArray();

    [Test]
    public void DrawsTheExpectedGlyphPixelsForAKnownString()
    {
        var img = new RgbImage(17, 9);
        TextRenderer.Draw(img, "Hg1", 0, 0, Rgb.Black);
        string[] expected =
        [
            "#...#.........#..",
            "#...#........##..",
            "#...#..####...#..",
            "#####.#...#...#..",
            "#...#.#...#...#..",
            "#...#.#..##...#..",
            "#...#..##.#..###.",
            "..........#......",
            ".......###.......",
        ];
        Assert.That(Ink(img), Is.EqualTo(expected));
        Assert.That(img[0, 0], Is.EqualTo(Rgb.Black));
    }

    [Test]
    public void ScaleTurnsEveryFontPixelIntoASquareBlock()
    {
        var one = new RgbImage(40, 12);
        var three = new RgbImage(120, 36);
        TextRenderer.Draw(one, "a5%", 1, 1, Rgb.Ink);
        TextRenderer.Draw(three, "a5%", 3, 3, Rgb.Ink, scale: 3);
        for (int y = 0; y < 36; y++)
            for (int x = 0; x < 120; x++)
                Assert.That(three[x, y], Is.EqualTo(one[x / 3, y / 3]), $"pixel ({x},{y})");
    }

    [TestCase("abc", 1, 17, 9)]
    [TestCase("abc", 2, 34, 18)]
    [TestCase("ab\ncde", 1, 17, 20)]
    [TestCase("", 1, 0, 9)]
    public void MeasuresWidthAndHeight(string text, int scale, int width, int height) =>
        Assert.That(TextRenderer.Measure(text, scale), Is.EqualTo((width, height)));

    [Test]
    public void TextStaysInsideItsMeasuredBoxForEveryAlignment()
    {
        const string text = "yaw +0.20\npitch -0.10";
        var (w, h) = TextRenderer.Measure(text, 2);
        foreach (var (align, anchor) in new[] { (TextAlign.Left, 10), (TextAlign.Center, 10 + w / 2), (TextAlign.Right, 10 + w) })
        {
            var img = new RgbImage(w + 20, h + 20);
            TextRenderer.Draw(img, text, anchor, 10, Rgb.Black, 2, align);
            var ink = Ink(img);
            var inkRows = Enumerable.Range(0, img.Height).Where(y => ink[y].Contains('#')).ToList();
            var inkCols = Enumerable.Range(0, img.Width).Where(x => ink.Any(r => r[x] == '#')).ToList();
            Assert.That(inkRows.Min(), Is.GreaterThanOrEqualTo(10), align.ToString());
            Assert.That(inkRows.Max(), Is.LessThan(10 + h), align.ToString());
            Assert.That(inkCols.Min(), Is.GreaterThanOrEqualTo(10), align.ToString());
            Assert.That(inkCols.Max(), Is.LessThan(10 + w), align.ToString());
        }
    }

    [Test]
    public void VerticalTextIsTheHorizontalTextTurnedAnticlockwise()
    {
        var horizontal = new RgbImage(23, 9);
        TextRenderer.Draw(horizontal, "loss", 0, 0, Rgb.Black);
        var vertical = new RgbImage(9, 23);
        TextRenderer.DrawVertical(vertical, "loss", 0, 11, Rgb.Black);
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 23; x++)
                Assert.That(vertical[y, 22 - x], Is.EqualTo(horizontal[x, y]), $"pixel ({x},{y})");
    }

    [Test]
    public void MinusSignDrawsAsHyphenAndUnknownCharactersAsQuestionMark()
    {
        string Render(string s) { var img = new RgbImage(6, 9); TextRenderer.Draw(img, s, 0, 0, Rgb.Black); return string.Join("/", Ink(img)); }
        Assert.That(Render("\u2212"), Is.EqualTo(Render("-")));
        Assert.That(Render("\u4e2d"), Is.EqualTo(Render("?")));
        Assert.That(Render("θ"), Is.Not.EqualTo(Render("?")));
    }

    [Test]
    public void EveryPrintableAsciiGlyphIsDistinctAndFitsItsCell()
    {
        var seen = new Dictionary<string, char>();
        for (char c = '!'; c <= '~'; c++)
        {
            var rows = BitmapFont.Rows(c);
            Assert.That(rows, Has.Length.EqualTo(BitmapFont.GlyphHeight), c.ToString());
            Assert.That(rows.All(r => r < 1 << BitmapFont.GlyphWidth), c.ToString());
            Assert.That(rows.Any(r => r != 0), $"'{c}' has no ink");
            var key = Convert.ToHexString(rows);
            Assert.That(seen.ContainsKey(key), Is.False, $"'{c}' looks like '{(seen.TryGetValue(key, out var o) ? o : ' ')}'");
            seen[key] = c;
        }
        Assert.That(BitmapFont.Rows(' ').All(r => r == 0));
    }

    [TestCase("yaw +0.20 pitch -0.10", 100, 1, "yaw +0.20 pitch\n-0.10")]
    [TestCase("personalized", 60, 1, "personaliz\ned")]
    [TestCase("a b\nc", 200, 2, "a b\nc")]
    [TestCase("held-out poses of the person", 94, 1, "held-out poses\nof the person")]
    public void WrapsAtSpacesAndCutsOverlongWords(string text, int maxWidth, int scale, string expected)
    {
        var wrapped = TextRenderer.Wrap(text, maxWidth, scale);
        Assert.That(wrapped, Is.EqualTo(expected));
        Assert.That(TextRenderer.Measure(wrapped, scale).Width, Is.LessThanOrEqualTo(maxWidth));
    }
}
