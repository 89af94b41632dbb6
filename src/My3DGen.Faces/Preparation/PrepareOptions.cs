// The acceptance rules and output choices of `prepare`: detector confidence, smallest face, sharpness, pose range,
// several faces, mirrored copies, the size of the written crops.
namespace My3DGen.Faces.Preparation;

/// <summary>Settings of <see cref="FacePreparer"/>.</summary>
public sealed record PrepareOptions
{
    /// <summary>Minimum detector score of a face (default 0.75).</summary>
    public double MinScore { get; init; } = 0.75;
    /// <summary>Minimum FaceMesh face-presence confidence (default 0.5).</summary>
    public double MinMeshConfidence { get; init; } = 0.5;
    /// <summary>Smallest accepted face: inter-ocular distance in photo pixels (default 24; EG3D crops are ~170 px at 512).</summary>
    public double MinEyeDistance { get; init; } = 24;
    /// <summary>Smallest accepted sharpness: variance of the Laplacian of the aligned crop's face area (default 15).</summary>
    public double MinSharpness { get; init; } = 15;
    /// <summary>Largest accepted |yaw| in degrees (default 60).</summary>
    public double MaxYaw { get; init; } = 60;
    /// <summary>Largest accepted |pitch| in degrees (default 40).</summary>
    public double MaxPitch { get; init; } = 40;
    /// <summary>Reject photos with more than one face instead of keeping the largest (default false).</summary>
    public bool RejectMultipleFaces { get; init; }
    /// <summary>Also write mirrored crops with flipped poses, as EG3D's dataset does (default true).</summary>
    public bool Mirror { get; init; } = true;
    /// <summary>Side of the aligned images written, in pixels (default 512, EG3D's; the model's resolution when it differs).</summary>
    public int Size { get; init; } = 512;
    /// <summary>Folder of the face models; null = the bundled models.</summary>
    public string? ModelFolder { get; init; }
}
