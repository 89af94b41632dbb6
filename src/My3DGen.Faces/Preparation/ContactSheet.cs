// The contact sheet of a prepare batch: one row per photo (caption: name, decision or reason, pose in degrees), columns
// photo with the face box and five points, aligned crop with the mesh and five points, and the mirrored crop.
using My3DGen.Faces.Alignment;
using My3DGen.Faces.Detection;
using My3DGen.Faces.Imaging;
using My3DGen.Models.Imaging;

namespace My3DGen.Faces.Preparation;

/// <summary>Builds the labelled contact sheet of a prepare batch.</summary>
public sealed class ContactSheet
{
    /// <summary>Cell side in pixels.</summary>
    public const int Cell = 192;
    static readonly Rgb[] PointColours = [new(255, 40, 40), new(40, 120, 255), new(40, 200, 40), new(255, 160, 0), new(200, 0, 200)];
    readonly List<RgbImage> _cells = [];
    readonly List<string> _rows = [];

    /// <summary>Adds the row of an analysed photo.</summary>
    public void Add(string path, PlanarImage photo, FaceAnalysis a)
    {
        double fit = Math.Min((double)Cell / photo.Width, (double)Cell / photo.Height);
        int tw = Math.Max(1, (int)Math.Round(photo.Width * fit)), th = Math.Max(1, (int)Math.Round(photo.Height * fit));
        var thumb = Resampler.ResizeRect(photo, 0, 0, photo.Width, photo.Height, tw, th, ResampleKernel.Triangle).ToRgb();
        foreach (var o in a.OtherFaces) Box(thumb, o, fit, new Rgb(255, 200, 0));
        if (a.Face != null) Box(thumb, a.Face, fit, a.Accepted ? new Rgb(0, 220, 0) : new Rgb(255, 0, 0));
        if (a.Points5 != null) for (int i = 0; i < 5; i++) Dot(thumb, a.Points5[i].X * fit, a.Points5[i].Y * fit, PointColours[i], 1);
        _cells.Add(thumb);
        if (a.Aligned != null && a.Crop != null)
        {
            double k = (double)Cell / AlignedCrop.OutputSize;
            var crop = Resampler.ResizeRect(a.Aligned, 0, 0, a.Aligned.Width, a.Aligned.Height, Cell, Cell, ResampleKernel.Triangle).ToRgb();
            var mirror = Flip(crop);
            foreach (var p in a.Mesh!.Points)
            {
                var c = a.Crop.ToCrop(new Point2(p.X, p.Y));
                crop.Plot((int)(c.X * k), (int)(c.Y * k), new Rgb(230, 230, 230));
            }
            for (int i = 0; i < 5; i++) { var c = a.Crop.ToCrop(a.Points5![i]); Dot(crop, c.X * k, c.Y * k, PointColours[i], 2); }
            _cells.Add(crop); _cells.Add(mirror);
        }
        else { _cells.Add(Blank()); _cells.Add(Blank()); }
        var (yaw, pitch, roll) = a.Pose?.Angles() ?? (0, 0, 0);
        string name = Path.GetFileName(path);
        _rows.Add(a.Accepted
            ? $"{name}\naccepted\nyaw {yaw:+0.0;-0.0}\npitch {pitch:+0.0;-0.0}\nroll {roll:+0.0;-0.0}"
            : $"{name}\nREJECTED\n{a.Reason}" + (a.Pose != null ? $"\nyaw {yaw:+0.0;-0.0} pitch {pitch:+0.0;-0.0}" : ""));
    }

    /// <summary>Adds the row of a photo that could not be read.</summary>
    public void AddError(string path, string message)
    {
        _cells.Add(Blank()); _cells.Add(Blank()); _cells.Add(Blank());
        _rows.Add($"{Path.GetFileName(path)}\nUNREADABLE\n{message.Replace(path, "").TrimStart(':', ' ')}");
    }

    /// <summary>The sheet with <paramref name="title"/>.</summary>
    public RgbImage Render(string title) => _rows.Count == 0
        ? LabelledGrid.Render([Blank(), Blank(), Blank()], title, ["(no photos)"], Columns, Cell)
        : LabelledGrid.Render(_cells, title, _rows, Columns, Cell);

    static readonly string[] Columns = ["photo: face box, 5 points", "aligned 512 crop: mesh + 5 points", "mirrored crop"];

    static RgbImage Blank() => new(Cell, Cell, Rgb.LightGrey);

    static RgbImage Flip(RgbImage image)
    {
        var m = new RgbImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++) m[image.Width - 1 - x, y] = image[x, y];
        return m;
    }

    static void Box(RgbImage image, FaceDetection f, double k, Rgb colour)
    {
        int x0 = (int)(f.X0 * k), y0 = (int)(f.Y0 * k), x1 = (int)(f.X1 * k), y1 = (int)(f.Y1 * k);
        image.DrawRectangle(x0, y0, Math.Max(1, x1 - x0), Math.Max(1, y1 - y0), colour);
        image.DrawRectangle(x0 - 1, y0 - 1, Math.Max(1, x1 - x0 + 2), Math.Max(1, y1 - y0 + 2), colour);
    }

    static void Dot(RgbImage image, double x, double y, Rgb colour, int r) =>
        image.FillRectangle((int)Math.Round(x) - r, (int)Math.Round(y) - r, 2 * r + 1, 2 * r + 1, colour);
}
