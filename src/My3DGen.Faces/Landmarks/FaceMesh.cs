// The 468 FaceMesh landmarks of one face in photo coordinates (x, y in pixels; z in pixels too, larger = farther from
// the camera), and the five points EG3D's aligner uses, taken from the mesh.
using My3DGen.Faces.Detection;

namespace My3DGen.Faces.Landmarks;

/// <summary>A 3-D point: x right, y down (pixels), z away from the camera (pixels).</summary>
/// <param name="X">x.</param>
/// <param name="Y">y.</param>
/// <param name="Z">z.</param>
public readonly record struct Point3(double X, double Y, double Z);

/// <summary>FaceMesh landmarks in photo coordinates, with the model's face-presence confidence.</summary>
/// <param name="Points">468 points (MediaPipe topology).</param>
/// <param name="Confidence">The face-flag output (sigmoid), in [0,1].</param>
public sealed record FaceMesh(Point3[] Points, double Confidence)
{
    /// <summary>Mesh indices of the eye corners (image-left eye outer/inner, image-right eye inner/outer), nose tip, and the
    /// mouth corners on the outer lip contour (<see cref="LeftMouthOuter"/>, <see cref="RightMouthOuter"/>) and on the inner
    /// one (<see cref="LeftMouthInner"/>, <see cref="RightMouthInner"/>).</summary>
    public const int LeftEyeOuter = 33, LeftEyeInner = 133, RightEyeInner = 362, RightEyeOuter = 263, NoseTip = 1, NoseTipUpper = 4,
        LeftMouthOuter = 61, RightMouthOuter = 291, LeftMouthInner = 78, RightMouthInner = 308;

    /// <summary>The five points in EG3D's order: left eye centre, right eye centre, nose tip, left and right mouth corners,
    /// left/right as seen in the image. Eye centres are the means of the 16-point eye contours (the visible eye's centre, which
    /// is what EG3D's MTCNN points mark); the nose tip is the midpoint of mesh points 1 and 4, which sits where the template's
    /// nose tip does (half way from the eye line to the mouth line on the canonical face: 0.49, template 0.50). A mouth corner
    /// (the end of the lip line, which MTCNN marks) is the midpoint of the outer- and inner-lip corner vertices: the mesh keeps
    /// them apart (0.3 cm on the canonical face), and on a smile the outer one lies on the skin beyond the corner (astronaut.png:
    /// 1.5–1.9 px, 1.4–1.8% of the face width, outside on both sides) while the inner one ends inside the lip gap.</summary>
    public Point3[] FivePoints3D() =>
    [
        Mean(LeftEyeContour), Mean(RightEyeContour),
        Mid(Points[NoseTip], Points[NoseTipUpper]),
        Mid(Points[LeftMouthOuter], Points[LeftMouthInner]), Mid(Points[RightMouthOuter], Points[RightMouthInner]),
    ];

    /// <summary><see cref="FivePoints3D"/> projected to the image.</summary>
    public Point2[] FivePoints() => FivePoints3D().Select(p => new Point2(p.X, p.Y)).ToArray();

    /// <summary>The contour of the eye on the image's left (the person's right eye).</summary>
    public static readonly int[] LeftEyeContour = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
    /// <summary>The contour of the eye on the image's right (the person's left eye).</summary>
    public static readonly int[] RightEyeContour = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];

    Point3 Mean(int[] indices) =>
        new(indices.Average(i => Points[i].X), indices.Average(i => Points[i].Y), indices.Average(i => Points[i].Z));

    static Point3 Mid(Point3 a, Point3 b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2, (a.Z + b.Z) / 2);
}
