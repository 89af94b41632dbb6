// The astronaut photo and the harder cases made from it in memory (mirrored, rotated in-plane, rescaled, padded on a
// large canvas, two copies side by side, no face), and one shared FacePreparer (the models load once per run).
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Preparation;

namespace My3DGen.Faces.Tests;

internal static class FaceTestData
{
    static readonly Lazy<FacePreparer> SharedPreparer = new(() => new FacePreparer());
    public static FacePreparer Preparer => SharedPreparer.Value;

    public static string AstronautPath => GraphParityTests.Fixture("astronaut.png");
    public static PlanarImage Astronaut() => PlanarImage.From(PhotoLoader.Load(AstronautPath));

    public static PlanarImage Mirrored(PlanarImage p)
    {
        var m = new PlanarImage(p.Width, p.Height);
        for (int y = 0; y < p.Height; y++)
            for (int x = 0; x < p.Width; x++)
                for (int c = 0; c < 3; c++) m.Data[(y * p.Width + p.Width - 1 - x) * 3 + c] = p.Data[(y * p.Width + x) * 3 + c];
        return m;
    }

    /// <summary>The photo turned counter-clockwise (as seen) by <paramref name="degrees"/> about its centre, same size.</summary>
    public static PlanarImage Rotated(PlanarImage p, double degrees) =>
        Resampler.RotatedCrop(p, p.Width / 2.0, p.Height / 2.0, p.Width, degrees * Math.PI / 180, p.Width);

    /// <summary>The photo resized by about <paramref name="factor"/> (the size rounded to whole pixels), Lanczos-3 by default.</summary>
    public static PlanarImage Rescaled(PlanarImage p, double factor, ResampleKernel kernel = ResampleKernel.Lanczos3) =>
        Resampler.ResizeRect(p, 0, 0, p.Width, p.Height, (int)Math.Round(p.Width * factor), (int)Math.Round(p.Height * factor), kernel);

    public static PlanarImage Padded(PlanarImage p, int width, int height, int left, int top, float grey = 90)
    {
        var c = new PlanarImage(width, height);
        Array.Fill(c.Data, grey);
        for (int y = 0; y < p.Height; y++) Array.Copy(p.Data, y * p.Width * 3, c.Data, ((y + top) * width + left) * 3, p.Width * 3);
        return c;
    }

    public static PlanarImage NoFace()
    {
        var p = new PlanarImage(400, 300);
        for (int y = 0; y < 300; y++)
            for (int x = 0; x < 400; x++)
                for (int ch = 0; ch < 3; ch++)
                    p.Data[(y * 400 + x) * 3 + ch] = (float)(128 + 60 * Math.Sin(x * 0.05 + ch) + 40 * Math.Cos(y * 0.031 * (ch + 1)));
        return p;
    }
}
