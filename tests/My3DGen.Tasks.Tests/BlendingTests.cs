// Hole masks and blending without a model: a mask PNG is read white = hole and must match the photo's size; dilation
// and the Chebyshev distance agree; Poisson and feathered blends leave every pixel outside their region bit for bit,
// and Poisson of a source that differs from the photo by a constant gives the photo back (same gradients, same border).
using My3DGen.Models.Imaging;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Tests;

public sealed class BlendingTests
{
    const int S = 24;

    static float[] Smooth(int seed)
    {
        var rng = new Random(seed);
        double a = rng.NextDouble(), b = rng.NextDouble();
        return Enumerable.Range(0, 3 * S * S).Select(i =>
        {
            int c = i / (S * S), p = i % (S * S), x = p % S, y = p / S;
            return (float)(0.6 * Math.Sin(0.3 * x + a + c) * Math.Cos(0.2 * y + b) + 0.02 * (rng.NextDouble() - 0.5));
        }).ToArray();
    }

    static void AssertOutsideUnchanged(float[] output, float[] photo, HoleMask region)
    {
        int changed = 0;
        for (int i = 0; i < output.Length; i++)
            if (!region.Hole[i % (S * S)] && BitConverter.SingleToInt32Bits(output[i]) != BitConverter.SingleToInt32Bits(photo[i])) changed++;
        Assert.That(changed, Is.Zero, "pixels outside the blend region must equal the photo bit for bit");
    }

    [Test]
    public void PoissonKeepsTheOutsideAndReproducesAnOffsetPhoto()
    {
        var photo = Smooth(1);
        var hole = HoleMask.CentredBox(S, 0.4);
        var region = hole.Dilate(2);
        var offset = photo.Select(v => v + 0.3f).ToArray();
        var blended = ImageBlending.Poisson(photo, offset, region);
        AssertOutsideUnchanged(blended, photo, region);
        double worst = blended.Zip(photo, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThan(1e-4), "Δf = Δphoto with the photo on the border is the photo");

        var other = Smooth(2);
        blended = ImageBlending.Poisson(photo, other, region);
        AssertOutsideUnchanged(blended, photo, region);
        Assert.That(blended.All(v => v is >= -1f and <= 1f));
        Assert.That(blended.Zip(photo, (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(0.05), "the inside takes the other image's content");
    }

    [Test]
    public void FeatherPastesTheHoleAndFadesOverTheMargin()
    {
        var photo = Smooth(3);
        var source = Smooth(4);
        var hole = HoleMask.CentredBox(S, 0.25);
        var blended = ImageBlending.Feather(photo, source, hole, radius: 3);
        AssertOutsideUnchanged(blended, photo, hole.Dilate(3));
        for (int p = 0; p < S * S; p++)
            if (hole.Hole[p]) Assert.That(blended[p], Is.EqualTo(source[p]));
        var (x, y, _, _) = hole.BoundingBox();
        int ring = (y + 1) * S + x - 2;   // two pixels left of the hole: weight 1 − 2/4
        Assert.That(blended[ring], Is.EqualTo(0.5f * source[ring] + 0.5f * photo[ring]).Within(1e-6));
        AssertOutsideUnchanged(ImageBlending.Feather(photo, source, hole, radius: 0), photo, hole);
    }

    [Test]
    public void DilationMatchesTheChebyshevDistance()
    {
        var hole = new bool[S * S];
        hole[5 * S + 7] = hole[15 * S + 16] = true;
        var mask = new HoleMask(S, hole);
        var d = ImageBlending.ChebyshevDistance(mask);
        var grown = mask.Dilate(3);
        for (int p = 0; p < S * S; p++) Assert.That(grown.Hole[p], Is.EqualTo(d[p] <= 3), $"pixel {p}");
        Assert.That(mask.BoundingBox(), Is.EqualTo((7, 5, 10, 11)));
    }

    [Test]
    public void MaskFilesAreWhiteForTheHoleAndMustFitThePhoto()
    {
        var dir = TestPerson.TempDir();
        var img = new RgbImage(S, S, Rgb.Black);
        img.FillRectangle(4, 6, 5, 3, new Rgb(255, 255, 255));
        string path = Path.Combine(dir, "mask.png");
        img.SavePng(path);
        var mask = HoleMask.Read(path, S);
        Assert.That(mask.HoleCount, Is.EqualTo(15));
        Assert.That(mask[4, 6] && mask[8, 8] && !mask[3, 6] && !mask[4, 9]);

        var e = Assert.Throws<TaskInputException>(() => HoleMask.Read(path, 2 * S))!;
        Assert.That(e.Message, Does.Contain("mask.png").And.Contain($"{S}x{S}").And.Contain($"{2 * S}x{2 * S}"));
        new RgbImage(S, S, Rgb.Black).SavePng(path);
        Assert.That(Assert.Throws<TaskInputException>(() => HoleMask.Read(path, S))!.Message, Does.Contain("nothing to inpaint"));
        new RgbImage(S, S, new Rgb(255, 255, 255)).SavePng(path);
        Assert.That(Assert.Throws<TaskInputException>(() => HoleMask.Read(path, S))!.Message, Does.Contain("no known pixel"));
    }
}
