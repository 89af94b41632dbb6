// One face found by the detector, in the photo's pixel coordinates.
namespace My3DGen.Faces.Detection;

/// <summary>A 2-D point in pixels (x right, y down).</summary>
/// <param name="X">Column.</param>
/// <param name="Y">Row.</param>
public readonly record struct Point2(double X, double Y);

/// <summary>A detected face: box, score and BlazeFace's six keypoints (right eye, left eye, nose tip, mouth centre,
/// right ear, left ear — the person's right is the image's left).</summary>
/// <param name="X0">Left edge.</param>
/// <param name="Y0">Top edge.</param>
/// <param name="X1">Right edge.</param>
/// <param name="Y1">Bottom edge.</param>
/// <param name="Score">Detector confidence in [0,1].</param>
/// <param name="Keypoints">The six keypoints.</param>
public sealed record FaceDetection(double X0, double Y0, double X1, double Y1, double Score, Point2[] Keypoints)
{
    /// <summary>Box width in pixels.</summary>
    public double Width => X1 - X0;
    /// <summary>Box height in pixels.</summary>
    public double Height => Y1 - Y0;
    /// <summary>Box area in pixels².</summary>
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union with <paramref name="other"/>.</summary>
    public double IoU(FaceDetection other)
    {
        double w = Math.Min(X1, other.X1) - Math.Max(X0, other.X0), h = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
        if (w <= 0 || h <= 0) return 0;
        double inter = w * h;
        return inter / (Area + other.Area - inter);
    }
}
