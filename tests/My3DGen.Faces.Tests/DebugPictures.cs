// Pictures for a person to look at (not assertions): a zoomed, gridded view of the astronaut's face for hand
// annotation. Written only when FACES_DEBUG_DIR is set.
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Landmarks;
using My3DGen.Models.Imaging;

namespace My3DGen.Faces.Tests;

public class DebugPictures
{
    [Test]
    public void ZoomForAnnotation()
    {
        string? dir = Environment.GetEnvironmentVariable("FACES_DEBUG_DIR");
        if (dir == null) Assert.Ignore("set FACES_DEBUG_DIR to write the annotation view");
        Directory.CreateDirectory(dir);
        var photo = PhotoLoader.Load(FaceTestData.AstronautPath);
        const int x0 = 185, y0 = 90, w = 80, h = 65, k = 10;
        var z = new RgbImage(w * k, h * k);
        for (int y = 0; y < h * k; y++)
            for (int x = 0; x < w * k; x++) z[x, y] = photo[x0 + x / k, y0 + y / k];
        for (int gx = x0; gx < x0 + w; gx += 5)
        {
            var c = gx % 10 == 0 ? new Rgb(0, 255, 0) : new Rgb(0, 120, 0);
            z.DrawLine((gx - x0) * k, 0, (gx - x0) * k, h * k - 1, c);
            if (gx % 10 == 0) TextRenderer.Draw(z, gx.ToString(), (gx - x0) * k + 2, 2, new Rgb(255, 255, 0));
        }
        for (int gy = y0; gy < y0 + h; gy += 5)
        {
            var c = gy % 10 == 0 ? new Rgb(0, 255, 0) : new Rgb(0, 120, 0);
            z.DrawLine(0, (gy - y0) * k, w * k - 1, (gy - y0) * k, c);
            if (gy % 10 == 0) TextRenderer.Draw(z, gy.ToString(), 2, (gy - y0) * k + 2, new Rgb(255, 255, 0));
        }
        z.SavePng(Path.Combine(dir, "astronaut-zoom.png"));
    }

    /// <summary>A smooth 12× zoom of the eyes and mouth with the hand points (green crosses), the five points found (red
    /// squares) and the FaceMesh eye and lip points (blue, numbered).</summary>
    [Test]
    public void OverlayOfPoints()
    {
        string? dir = Environment.GetEnvironmentVariable("FACES_DEBUG_DIR");
        if (dir == null) Assert.Ignore("set FACES_DEBUG_DIR to write the overlay");
        Directory.CreateDirectory(dir);
        var photo = FaceTestData.Astronaut();
        var a = FaceTestData.Preparer.Analyze(photo);
        int[] meshIds = [61, 291, 78, 308, 76, 306, 62, 292, 185, 409, 146, 375, 33, 133, 362, 263, 1, 4];
        foreach (var (name, x0, y0, w, h, k) in new[] { ("mouth", 190.0, 125.0, 66.0, 25.0, 12), ("eyes", 190.0, 92.0, 70.0, 20.0, 12),
                     ("mouth-left", 194.0, 132.0, 18.0, 14.0, 40), ("mouth-right", 236.0, 134.0, 18.0, 14.0, 40), ("mouth-wide", 192.0, 130.0, 64.0, 20.0, 20), ("eye-left", 194.0, 94.0, 20.0, 14.0, 36), ("eye-right", 237.0, 96.0, 20.0, 14.0, 36) })
        {
            // Close-ups: nearest neighbour with the region's contrast stretched to 0..255, so the lip gap's end is visible.
            var z = k >= 20 ? Stretched(photo, (int)x0, (int)y0, (int)w, (int)h, k)
                : Resampler.ResizeRect(photo, x0, y0, w, h, (int)(w * k), (int)(h * k), ResampleKernel.Lanczos3).ToRgb();
            (int X, int Y) At(double px, double py) => ((int)Math.Round((px - x0) * k), (int)Math.Round((py - y0) * k));
            foreach (int id in meshIds)
            {
                var p = a.Mesh!.Points[id]; var (x, y) = At(p.X, p.Y);
                z.FillRectangle(x - 2, y - 2, 5, 5, new Rgb(40, 80, 255));
                TextRenderer.Draw(z, id.ToString(), x + 4, y + 4, new Rgb(40, 80, 255));
            }
            foreach (int id in FaceMesh.LeftEyeContour.Concat(FaceMesh.RightEyeContour))
            {
                var p = a.Mesh!.Points[id]; var (x, y) = At(p.X, p.Y);
                z.FillRectangle(x - 1, y - 1, 3, 3, new Rgb(0, 220, 255));
            }
            foreach (var p in AstronautTests.HandPoints)
            {
                var (x, y) = At(p.X, p.Y);
                z.DrawLine(x - 8, y - 8, x + 8, y + 8, new Rgb(0, 255, 0), 2); z.DrawLine(x - 8, y + 8, x + 8, y - 8, new Rgb(0, 255, 0), 2);
            }
            foreach (var p in a.Points5!) { var (x, y) = At(p.X, p.Y); z.DrawRectangle(x - 4, y - 4, 9, 9, new Rgb(255, 0, 0)); }
            if (k >= 20)
                for (int g = 0; g <= Math.Max(w, h); g++)
                {
                    var grid = new Rgb(90, 90, 90);
                    if (g <= w) { z.DrawLine(g * k, 0, g * k, 8, grid); if (g % 2 == 0) TextRenderer.Draw(z, (x0 + g).ToString(), g * k + 2, 2, grid); }
                    if (g <= h) { z.DrawLine(0, g * k, 8, g * k, grid); if (g % 2 == 0) TextRenderer.Draw(z, (y0 + g).ToString(), 10, g * k + 2, grid); }
                }
            z.SavePng(Path.Combine(dir, $"astronaut-{name}-points.png"));
        }
    }

    static RgbImage Stretched(PlanarImage photo, int x0, int y0, int w, int h, int k)
    {
        float lo = float.MaxValue, hi = float.MinValue;
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
                for (int c = 0; c < 3; c++) { float v = photo.Data[(y * photo.Width + x) * 3 + c]; lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        var z = new RgbImage(w * k, h * k);
        for (int y = 0; y < h * k; y++)
            for (int x = 0; x < w * k; x++)
            {
                int i = ((y0 + y / k) * photo.Width + x0 + x / k) * 3;
                byte S(int c) => (byte)Math.Clamp((photo.Data[i + c] - lo) / (hi - lo) * 255, 0, 255);
                z[x, y] = new Rgb(S(0), S(1), S(2));
            }
        return z;
    }
}
