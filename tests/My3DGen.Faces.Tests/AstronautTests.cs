// Acceptance on the public-domain astronaut photo: one face, five points near hand-annotated ones, mirrored pose,
// in-plane rotation → roll, rescale/pad invariance of crop and pose, no-face rejection, two faces reported.
using My3DGen.Faces.Detection;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Preparation;
using static My3DGen.Faces.Tests.FaceTestData;

namespace My3DGen.Faces.Tests;

[Category("Slow")]
public class AstronautTests
{
    static FaceAnalysis? _base;
    static FaceAnalysis Base => _base ??= Analyze("astronaut", Astronaut());

    /// <summary>Hand-annotated on contrast-stretched close-ups of astronaut.png and its pixel values (DebugPictures; pixel
    /// centres at integer + 0.5): left eye (203.1, 101.0) and right eye (246.6, 102.9), iris centres from the iris's dark
    /// extent (x 200–206 and 243–250, bottom edges 104 and 106.3, 6–7 px across); nose tip (223.0, 129.0), the centre of the
    /// rounded tip between its highlight and lower edge; left (202.8, 140.0) and right (244.7, 141.3) mouth corners, where
    /// the dark lip gap ends (luminance crossing ~130). Left/right as seen.</summary>
    internal static readonly Point2[] HandPoints = [new(203.1, 101.0), new(246.6, 102.9), new(223.0, 129.0), new(202.8, 140.0), new(244.7, 141.3)];

    static FaceAnalysis Analyze(string what, PlanarImage image)
    {
        var a = Preparer.Analyze(image);
        var (yaw, pitch, roll) = a.Pose?.Angles() ?? (double.NaN, double.NaN, double.NaN);
        TestContext.Out.WriteLine($"{what}: {(a.Accepted ? "accepted" : "rejected: " + a.Reason)}; faces {(a.Face == null ? 0 : 1 + a.OtherFaces.Count)}; " +
            (a.Face == null ? "" : $"box ({a.Face.X0:0.0},{a.Face.Y0:0.0})-({a.Face.X1:0.0},{a.Face.Y1:0.0}) score {a.Face.Score:0.000}; " +
            $"points5 {string.Join(" ", a.Points5!.Select(p => $"({p.X:0.0},{p.Y:0.0})"))}; yaw {yaw:0.00} pitch {pitch:0.00} roll {roll:0.00}; " +
            $"crop x0 {a.Crop!.X0:0.00} y0 {a.Crop.Y0:0.00} side {a.Crop.Side:0.00}; sharpness {a.Sharpness:0.0}; mesh conf {a.Mesh!.Confidence:0.000}"));
        return a;
    }

    [Test]
    public void OneFaceFoundAndAccepted()
    {
        Assert.That(Base.Accepted, Is.True, Base.Reason);
        Assert.That(Base.OtherFaces, Is.Empty);
    }

    [Test]
    public void FivePointsWithinTwoPercentOfFaceWidthOfHandAnnotation()
    {
        double faceWidth = Base.Face!.Width;
        for (int i = 0; i < 5; i++)
        {
            double d = Math.Sqrt(Math.Pow(Base.Points5![i].X - HandPoints[i].X, 2) + Math.Pow(Base.Points5[i].Y - HandPoints[i].Y, 2));
            TestContext.Out.WriteLine($"point {i}: found ({Base.Points5[i].X:0.0},{Base.Points5[i].Y:0.0}) hand ({HandPoints[i].X},{HandPoints[i].Y}) distance {d:0.00} px = {100 * d / faceWidth:0.00}% of face width {faceWidth:0.0}");
            Assert.That(d / faceWidth, Is.LessThan(0.02), $"point {i}");
        }
    }

    [Test]
    public void MirroredPhotoGivesMirroredPose()
    {
        var m = Analyze("mirrored", Mirrored(Astronaut()));
        var (y0, p0, r0) = Base.Pose!.Angles();
        var (y1, p1, r1) = m.Pose!.Angles();
        TestContext.Out.WriteLine($"yaw {y0:0.00} → {y1:0.00}, pitch {p0:0.00} → {p1:0.00}, roll {r0:0.00} → {r1:0.00}");
        Assert.That(y1, Is.EqualTo(-y0).Within(2));
        Assert.That(r1, Is.EqualTo(-r0).Within(2));
        Assert.That(p1, Is.EqualTo(p0).Within(2));
    }

    [Test]
    public void InPlaneRotationOfTenDegreesChangesRollByTen()
    {
        foreach (double deg in new[] { 10.0, -10.0 })
        {
            var r = Analyze($"rotated {deg}°", Rotated(Astronaut(), deg));
            double change = r.Pose!.Angles().Roll - Base.Pose!.Angles().Roll;
            TestContext.Out.WriteLine($"rotation {deg:+0;-0}°: roll change {change:0.00}°");
            Assert.That(change, Is.EqualTo(deg).Within(2));
        }
    }

    // Rescaled with Lanczos-3, as a photo editor would. A blurrier resize moves the crop more because the model sees a
    // softer face: with a triangle (bilinear) ×0.75 the mouth corners come 0.2–0.35 px closer together and the crop
    // shrinks by ~2 px at 512 (measured, not asserted).
    [Test]
    public void RescaleAndPadLeaveCropWithinOnePixelAndPoseWithinOneDegree()
    {
        var cases = new (string Name, PlanarImage Image, double Scale, double Dx, double Dy)[]
        {
            ("rescaled ×0.75", Rescaled(Astronaut(), 0.75), 384 / 512.0, 0, 0),
            ("rescaled ×1.6", Rescaled(Astronaut(), 1.6), 819 / 512.0, 0, 0),
            ("padded 900×700 at (260,110)", Padded(Astronaut(), 900, 700, 260, 110), 1, 260, 110),
        };
        var (y0, p0, r0) = Base.Pose!.Angles();
        foreach (var (name, image, scale, dx, dy) in cases)
        {
            const double limit = 1;
            var a = Analyze(name, image);
            Assert.That(a.Accepted, Is.True, $"{name}: {a.Reason}");
            // The crop rectangle back in the original photo's pixels, compared in 512-crop pixels.
            double k = 512 / Base.Crop!.Side;
            double ex0 = ((a.Crop!.X0 - dx) / scale - Base.Crop.X0) * k, ey0 = ((a.Crop.Y0 - dy) / scale - Base.Crop.Y0) * k;
            double eside = (a.Crop.Side / scale - Base.Crop.Side) * k;
            var (y1, p1, r1) = a.Pose!.Angles();
            TestContext.Out.WriteLine($"{name}: crop shift ({ex0:0.00}, {ey0:0.00}) px, size change {eside:0.00} px at 512; pose Δ yaw {y1 - y0:0.00} pitch {p1 - p0:0.00} roll {r1 - r0:0.00}°");
            Assert.That(Math.Abs(ex0), Is.LessThan(limit), name); Assert.That(Math.Abs(ey0), Is.LessThan(limit), name); Assert.That(Math.Abs(eside), Is.LessThan(limit), name);
            Assert.That(y1, Is.EqualTo(y0).Within(1), name); Assert.That(p1, Is.EqualTo(p0).Within(1), name); Assert.That(r1, Is.EqualTo(r0).Within(1), name);
        }
    }

    [Test]
    public void NoFaceIsRejectedWithOneLineReason()
    {
        var a = Analyze("no face", NoFace());
        Assert.That(a.Accepted, Is.False);
        Assert.That(a.Reason, Does.StartWith("no face found").And.Not.Contain("\n"));
    }

    [Test]
    public void TwoFacesAreReported()
    {
        var two = new PlanarImage(1024, 512);
        var p = Astronaut();
        for (int y = 0; y < 512; y++)
        {
            Array.Copy(p.Data, y * 512 * 3, two.Data, y * 1024 * 3, 512 * 3);
            Array.Copy(p.Data, y * 512 * 3, two.Data, (y * 1024 + 512) * 3, 512 * 3);
        }
        var a = Analyze("two copies side by side", two);
        Assert.That(a.Face, Is.Not.Null);
        Assert.That(a.OtherFaces, Has.Count.EqualTo(1));
        Assert.That(a.Accepted, Is.True, "the largest face is kept and the other is listed");
        var strict = new FacePreparer(new PrepareOptions { RejectMultipleFaces = true }).Analyze(two);
        Assert.That(strict.Reason, Does.StartWith("2 faces found"));
    }

    [Test]
    public void BlurredPhotoIsRejectedAsTooBlurry()
    {
        var p = Astronaut();
        var small = Resampler.ResizeRect(p, 0, 0, 512, 512, 96, 96, ResampleKernel.Triangle);
        var blurred = Resampler.ResizeRect(small, 0, 0, 96, 96, 512, 512, ResampleKernel.Triangle);
        var a = Analyze("blurred (×0.19 then back)", blurred);
        Assert.That(a.Reason, Does.StartWith("too blurry"));
    }
}
