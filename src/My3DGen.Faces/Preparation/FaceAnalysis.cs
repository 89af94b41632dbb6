// The result of analysing one photo (no files written): the decision and why, the chosen face with its landmarks,
// five points, aligned crop and pose, and the other faces seen.
using My3DGen.Faces.Alignment;
using My3DGen.Faces.Detection;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Landmarks;
using My3DGen.Faces.Pose;

namespace My3DGen.Faces.Preparation;

/// <summary>What <see cref="FacePreparer.Analyze"/> found in one photo.</summary>
public sealed class FaceAnalysis
{
    /// <summary>True when the photo goes into the dataset.</summary>
    public bool Accepted => Reason == null;
    /// <summary>Why the photo was rejected (one line), or null when accepted.</summary>
    public string? Reason { get; init; }
    /// <summary>Photo width in pixels (after EXIF orientation).</summary>
    public int Width { get; init; }
    /// <summary>Photo height in pixels (after EXIF orientation).</summary>
    public int Height { get; init; }
    /// <summary>The face used (the largest), or null when none was found.</summary>
    public FaceDetection? Face { get; init; }
    /// <summary>The other faces above the score threshold.</summary>
    public IReadOnlyList<FaceDetection> OtherFaces { get; init; } = [];
    /// <summary>FaceMesh landmarks of <see cref="Face"/>.</summary>
    public FaceMesh? Mesh { get; init; }
    /// <summary>The five points in photo pixels (left eye, right eye, nose, left mouth, right mouth; as seen).</summary>
    public Point2[]? Points5 { get; init; }
    /// <summary>EG3D's crop rectangle.</summary>
    public AlignedCrop? Crop { get; init; }
    /// <summary>The 512² aligned image.</summary>
    public PlanarImage? Aligned { get; init; }
    /// <summary>The head pose.</summary>
    public HeadPose? Pose { get; init; }
    /// <summary>Variance of the Laplacian of the aligned face area (higher is sharper).</summary>
    public double Sharpness { get; init; }
    /// <summary>The 25-float EG3D label of the aligned image.</summary>
    public float[]? Label => Pose?.Label();
}
