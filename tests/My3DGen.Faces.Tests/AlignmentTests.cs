// EG3D's 5-point crop without the models: it must follow the photo exactly when the photo is rescaled or padded (the
// points move with it), and put the template's face where EG3D's crop does (eyes level, centred, 512-scale).
using My3DGen.Faces.Alignment;
using My3DGen.Faces.Detection;

namespace My3DGen.Faces.Tests;

public class AlignmentTests
{
    static readonly Point2[] Points = [new(203.1, 101.0), new(246.6, 102.9), new(223.0, 129.0), new(202.8, 140.0), new(244.7, 141.3)];

    [TestCase(0.75, 0, 0, 384, 384)]
    [TestCase(1.6, 0, 0, 819, 819)]
    [TestCase(1, 260, 110, 900, 700)]
    [TestCase(2.5, 37, 71, 1400, 1500)]
    public void CropFollowsRescaleAndPadExactly(double scale, double dx, double dy, int width, int height)
    {
        var a = Eg3dAlignment.Crop(Points, 512, 512);
        var b = Eg3dAlignment.Crop(Points.Select(p => new Point2(p.X * scale + dx, p.Y * scale + dy)).ToArray(), width, height);
        Assert.That((b.X0 - dx) / scale, Is.EqualTo(a.X0).Within(1e-9));
        Assert.That((b.Y0 - dy) / scale, Is.EqualTo(a.Y0).Within(1e-9));
        Assert.That(b.Side / scale, Is.EqualTo(a.Side).Within(1e-9));
    }

    [Test]
    public void TemplateFaceLandsCentredAndLevel()
    {
        // The template's own points (y up) drawn at 100 px per unit around (300, 300): the crop must be centred on the
        // template origin, 700/1024 of the 1024 window that align_img's s = 300/100 makes.
        var pts = Enumerable.Range(0, 5).Select(i => new Point2(300 + 100 * Eg3dAlignment.Template3D[i, 0], 300 - 100 * Eg3dAlignment.Template3D[i, 1])).ToArray();
        var c = Eg3dAlignment.Crop(pts, 600, 600);
        Assert.That(c.Scale, Is.EqualTo(3).Within(1e-9));
        Assert.That(c.Side, Is.EqualTo(700 / 3.0).Within(1e-9));
        Assert.That(c.X0 + c.Side / 2, Is.EqualTo(300).Within(1e-9));
        Assert.That(c.Y0 + c.Side / 2, Is.EqualTo(300).Within(1e-9));
    }
}
