// Draws a training-loss curve (raw values and a moving average) as a small PNG with axes, so progress
// can be looked at instead of read. Pure pixel drawing: no plotting dependency.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Reporting;

public static class LossCurvePlot
{
    public static Image<Rgb24> Render(IReadOnlyList<float> losses, int width = 640, int height = 360)
    {
        var img = new Image<Rgb24>(width, height, new Rgb24(255, 255, 255));
        const int left = 40, right = 10, top = 10, bottom = 30;
        int pw = width - left - right, ph = height - top - bottom;
        var axis = new Rgb24(60, 60, 60);
        Line(img, left, top, left, top + ph, axis);
        Line(img, left, top + ph, left + pw, top + ph, axis);
        var finite = losses.Where(float.IsFinite).ToList();
        if (finite.Count < 2) return img;
        float lo = finite.Min(), hi = finite.Max();
        if (hi - lo < 1e-12f) hi = lo + 1e-6f;
        for (int g = 1; g < 4; g++)  // light horizontal grid
            Line(img, left + 1, top + ph * g / 4, left + pw, top + ph * g / 4, new Rgb24(225, 225, 225));
        int X(int i) => left + (int)((long)i * (pw - 1) / Math.Max(1, losses.Count - 1));
        int Y(float v) => top + ph - 1 - (int)((v - lo) / (hi - lo) * (ph - 1));
        Polyline(img, losses, X, Y, new Rgb24(150, 180, 230));
        int window = Math.Max(1, losses.Count / 20);
        var avg = new float[losses.Count];
        double acc = 0;
        for (int i = 0; i < losses.Count; i++)
        {
            acc += losses[i];
            if (i >= window) acc -= losses[i - window];
            avg[i] = (float)(acc / Math.Min(i + 1, window));
        }
        Polyline(img, avg, X, Y, new Rgb24(200, 40, 40));
        return img;
    }

    static void Polyline(Image<Rgb24> img, IReadOnlyList<float> v, Func<int, int> x, Func<float, int> y, Rgb24 c)
    {
        for (int i = 1; i < v.Count; i++)
            if (float.IsFinite(v[i - 1]) && float.IsFinite(v[i])) Line(img, x(i - 1), y(v[i - 1]), x(i), y(v[i]), c);
    }

    /// <summary>Bresenham line, clipped to the image.</summary>
    static void Line(Image<Rgb24> img, int x0, int y0, int x1, int y1, Rgb24 c)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            if (x0 >= 0 && y0 >= 0 && x0 < img.Width && y0 < img.Height) img[x0, y0] = c;
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }
}
