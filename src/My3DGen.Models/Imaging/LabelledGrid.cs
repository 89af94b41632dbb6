// Labelled contact sheets: a grid of equally sized cells (images scaled to fit, row-major) on a white page, with a
// title on top, a caption above every column and a caption left of every row, so a reader knows what each picture is.
namespace My3DGen.Models.Imaging;

/// <summary>Grids of images with a title, column captions (top) and row captions (left).</summary>
public static class LabelledGrid
{
    const int Margin = 12, Gap = 6;

    /// <summary>Lays out <paramref name="images"/> row-major in rowCaptions.Count rows × columnCaptions.Count columns.</summary>
    /// <param name="images">Exactly rows × columns images, row by row; each is scaled (bicubic, aspect kept) to fit its cell.</param>
    /// <param name="title">Centred above the grid (wrapped when long).</param>
    /// <param name="rowCaptions">One caption per row, right-aligned left of the row ('\n' breaks lines; long captions wrap).</param>
    /// <param name="columnCaptions">One caption per column, centred above it ('\n' breaks lines; long captions wrap).</param>
    /// <param name="cellSize">Cell width and height in pixels; 0 = the largest image side.</param>
    /// <param name="textScale">Caption text scale (font pixel → scale² pixels); 0 = 2 for cells of 128 px or more, else 1.
    /// Column captions drop to scale 1 when a line does not fit the cell at this scale. The title is one step larger.</param>
    public static RgbImage Render(IReadOnlyList<RgbImage> images, string title, IReadOnlyList<string> rowCaptions,
        IReadOnlyList<string> columnCaptions, int cellSize = 0, int textScale = 0)
    {
        int rows = rowCaptions.Count, columns = columnCaptions.Count;
        if (rows == 0 || columns == 0) throw new ArgumentException("a grid needs at least one row and one column caption");
        if (images.Count != rows * columns)
            throw new ArgumentException($"{rows} row(s) × {columns} column(s) need {rows * columns} images, got {images.Count}", nameof(images));
        if (cellSize <= 0) cellSize = images.Max(i => Math.Max(i.Width, i.Height));
        int scale = textScale > 0 ? textScale : cellSize >= 128 ? 2 : 1;

        int columnScale = columnCaptions.All(c => TextRenderer.Measure(c, scale).Width <= cellSize) ? scale : 1;
        var columnText = columnCaptions.Select(c => TextRenderer.Wrap(c, cellSize, columnScale)).ToList();
        var rowText = rowCaptions.Select(c => TextRenderer.Wrap(c, cellSize, scale)).ToList();
        int rowCaptionWidth = rowText.Max(t => TextRenderer.Measure(t, scale).Width);
        int columnCaptionHeight = columnText.Max(t => TextRenderer.Measure(t, columnScale).Height);

        int gridLeft = Margin + (rowCaptionWidth > 0 ? rowCaptionWidth + 2 * Gap : 0);
        int gridWidth = columns * cellSize + (columns - 1) * Gap;
        int width = gridLeft + gridWidth + Margin;
        int titleScale = TextRenderer.Measure(title, scale + 1).Width <= Math.Max(width, 480) - 2 * Margin ? scale + 1 : scale;
        var titleText = TextRenderer.Wrap(title, Math.Max(width, 480) - 2 * Margin, titleScale);
        var titleSize = TextRenderer.Measure(titleText, titleScale);
        int shift = Math.Max(0, titleSize.Width + 2 * Margin - width) / 2;   // centre a grid narrower than its title
        width = Math.Max(width, titleSize.Width + 2 * Margin);
        gridLeft += shift;

        int gridTop = Margin + titleSize.Height + 2 * Gap + columnCaptionHeight + Gap;
        int height = gridTop + rows * cellSize + (rows - 1) * Gap + Margin;
        var sheet = new RgbImage(width, height);
        TextRenderer.Draw(sheet, titleText, width / 2, Margin, Rgb.Ink, titleScale, TextAlign.Center);
        for (int c = 0; c < columns; c++)
        {
            int textHeight = TextRenderer.Measure(columnText[c], columnScale).Height;   // bottom-align captions just above the cells
            TextRenderer.Draw(sheet, columnText[c], CellX(c) + cellSize / 2, gridTop - Gap - textHeight, Rgb.Ink, columnScale, TextAlign.Center);
        }
        for (int r = 0; r < rows; r++)
        {
            int textHeight = TextRenderer.Measure(rowText[r], scale).Height;
            TextRenderer.Draw(sheet, rowText[r], gridLeft - 2 * Gap, CellY(r) + (cellSize - textHeight) / 2, Rgb.Ink, scale, TextAlign.Right);
            for (int c = 0; c < columns; c++)
            {
                var src = images[r * columns + c];
                double fit = Math.Min((double)cellSize / src.Width, (double)cellSize / src.Height);
                int w = Math.Max(1, (int)Math.Round(src.Width * fit)), h = Math.Max(1, (int)Math.Round(src.Height * fit));
                sheet.DrawImage(src.Resized(w, h), CellX(c) + (cellSize - w) / 2, CellY(r) + (cellSize - h) / 2);
            }
        }
        return sheet;

        int CellX(int c) => gridLeft + c * (cellSize + Gap);
        int CellY(int r) => gridTop + r * (cellSize + Gap);
    }

    /// <summary><see cref="Render"/> written as a PNG to <paramref name="path"/> atomically (temp file + rename).</summary>
    public static void Save(string path, IReadOnlyList<RgbImage> images, string title, IReadOnlyList<string> rowCaptions,
        IReadOnlyList<string> columnCaptions, int cellSize = 0, int textScale = 0) =>
        Render(images, title, rowCaptions, columnCaptions, cellSize, textScale).SavePng(path);
}
