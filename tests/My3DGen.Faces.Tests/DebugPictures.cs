// Pictures for a person to look at (not assertions): a zoomed, gridded view of the astronaut's face for hand
// annotation. Written only when FACES_DEBUG_DIR is set.
using My3DGen.Faces.Imaging;
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
}
