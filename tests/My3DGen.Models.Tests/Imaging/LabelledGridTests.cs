// Labelled grids read back from their pixels: cells of the requested size in row-major order with equal gaps,
// captions above every column and left of every row (right-aligned next to the cells), the title on top.
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Tests.Imaging;

public class LabelledGridTests
{
    static RgbImage Solid(Rgb c, int w = 10, int h = 10) => new(w, h, c);

    /// <summary>Bounding box (x0, y0, x1, y1 inclusive) of the pixels of colour <paramref name="c"/>.</summary>
    static (int X0, int Y0, int X1, int Y1) Box(RgbImage img, Rgb c)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
                if (img[x, y] == c) { x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y); }
        return (x0, y0, x1, y1);
    }

    static bool InkIn(RgbImage img, int x0, int y0, int x1, int y1) =>
        Enumerable.Range(Math.Max(0, y0), Math.Max(0, y1 - Math.Max(0, y0))).Any(y => Enumerable.Range(Math.Max(0, x0), Math.Max(0, x1 - Math.Max(0, x0))).Any(x => img[x, y] == Rgb.Ink));

    static readonly Rgb[] Colours = [new(255, 0, 0), new(0, 160, 0), new(0, 0, 255), new(255, 200, 0), new(0, 200, 200), new(200, 0, 200)];

    [Test]
    public void CellsAreLaidOutRowMajorWithCaptionsAboveAndLeft()
    {
        var sheet = LabelledGrid.Render(Colours.Select(c => Solid(c)).ToList(), "Six colours",
            ["first", "second row"], ["red", "green", "blue"], cellSize: 40, textScale: 1);
        var boxes = Colours.Select(c => Box(sheet, c)).ToList();
        foreach (var b in boxes) Assert.That((b.X1 - b.X0 + 1, b.Y1 - b.Y0 + 1), Is.EqualTo((40, 40)));
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
            {
                var b = boxes[r * 3 + c];
                Assert.That(b.Y0, Is.EqualTo(boxes[r * 3].Y0), "cells of one row share a top edge");
                Assert.That(b.X0, Is.EqualTo(boxes[c].X0), "cells of one column share a left edge");
            }
        int gapX = boxes[1].X0 - boxes[0].X1, gapY = boxes[3].Y0 - boxes[0].Y1;
        Assert.That(boxes[2].X0 - boxes[1].X1, Is.EqualTo(gapX));
        Assert.That(gapY, Is.EqualTo(gapX));
        Assert.That(sheet[0, 0], Is.EqualTo(Rgb.White));

        int captionHeight = TextRenderer.LineHeight(1);
        for (int c = 0; c < 3; c++)   // each column's caption sits in the band just above its cells, within its width
            Assert.That(InkIn(sheet, boxes[c].X0, boxes[c].Y0 - gapX - captionHeight, boxes[c].X1 + 1, boxes[c].Y0), $"column {c} caption");
        for (int r = 0; r < 2; r++)   // each row's caption is left of its cells, within its height
            Assert.That(InkIn(sheet, 0, boxes[r * 3].Y0, boxes[r * 3].X0, boxes[r * 3].Y1 + 1), $"row {r} caption");
        int RightmostInk(int r) => Enumerable.Range(0, boxes[0].X0).Last(x => Enumerable.Range(boxes[r * 3].Y0, 40).Any(y => sheet[x, y] == Rgb.Ink));
        Assert.That(RightmostInk(0), Is.EqualTo(RightmostInk(1)).Within(1), "row captions are right-aligned");
        Assert.That(RightmostInk(0), Is.LessThan(boxes[0].X0 - 4), "row captions keep clear of the cells");
        int titleBottom = boxes[0].Y0 - gapX - captionHeight - 1;
        Assert.That(InkIn(sheet, 0, 0, sheet.Width, titleBottom), "title");
    }

    [Test]
    public void WideColumnCaptionsShrinkAndWrapInsteadOfOverlapping()
    {
        var sheet = LabelledGrid.Render(Colours.Take(2).Select(c => Solid(c)).ToList(), "T", ["r"],
            ["a caption much wider than its cell", "b"], cellSize: 48, textScale: 2);
        var left = Box(sheet, Colours[0]);
        var right = Box(sheet, Colours[1]);
        int gap = right.X0 - left.X1 - 1;
        // Nothing inked in the gap between the two columns above the cells (captions stay within their cell's width).
        Assert.That(InkIn(sheet, left.X1 + 1, 0, right.X0, left.Y0), Is.False);
        Assert.That(gap, Is.GreaterThan(0));
    }

    [Test]
    public void ImagesKeepTheirAspectRatioAndAreCentred()
    {
        var sheet = LabelledGrid.Render([Solid(Colours[0], 20, 10)], "T", ["r"], ["c"], cellSize: 40);
        var b = Box(sheet, Colours[0]);
        Assert.That((b.X1 - b.X0 + 1, b.Y1 - b.Y0 + 1), Is.EqualTo((40, 20)));
        Assert.That(sheet[b.X0, b.Y0 - 10], Is.EqualTo(Rgb.White));
    }

    [Test]
    public void MismatchedCountsAreRejected() =>
        Assert.Throws<ArgumentException>(() => LabelledGrid.Render([Solid(Colours[0])], "T", ["a", "b"], ["c"]));

    [Test]
    public void SaveWritesADecodablePng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"my3dgen-grid-{Guid.NewGuid():N}.png");
        try
        {
            LabelledGrid.Save(path, [Solid(Colours[2])], "T", ["r"], ["c"], cellSize: 30);
            var back = RgbImage.Decode(File.ReadAllBytes(path));
            Assert.That(Box(back, Colours[2]), Is.EqualTo(Box(LabelledGrid.Render([Solid(Colours[2])], "T", ["r"], ["c"], cellSize: 30), Colours[2])));
        }
        finally { File.Delete(path); }
    }
}
