// The left-right pairing of the 468 FaceMesh points read off the canonical face, which the mirrored FaceMesh runs use.
using My3DGen.Faces.Landmarks;
using My3DGen.Faces.Pose;

namespace My3DGen.Faces.Tests;

public class MirrorPairTests
{
    [Test]
    public void PairsAreAnInvolutionMatchingKnownLandmarks()
    {
        var pairs = CanonicalFace.Load().MirrorPairs();
        Assert.That(Enumerable.Range(0, 468).All(i => pairs[pairs[i]] == i), Is.True);
        Assert.That(pairs[FaceMesh.LeftMouthOuter], Is.EqualTo(FaceMesh.RightMouthOuter));
        Assert.That(pairs[FaceMesh.LeftMouthInner], Is.EqualTo(FaceMesh.RightMouthInner));
        Assert.That(pairs[FaceMesh.LeftEyeOuter], Is.EqualTo(FaceMesh.RightEyeOuter));
        Assert.That(pairs[FaceMesh.LeftEyeInner], Is.EqualTo(FaceMesh.RightEyeInner));
        Assert.That(pairs[FaceMesh.NoseTip], Is.EqualTo(FaceMesh.NoseTip));
        Assert.That(FaceMesh.LeftEyeContour.Select(i => pairs[i]).OrderBy(i => i), Is.EqualTo(FaceMesh.RightEyeContour.OrderBy(i => i)));
        Assert.That(Enumerable.Range(0, 468).Count(i => pairs[i] == i), Is.InRange(10, 40), "points on the midline");
    }
}
