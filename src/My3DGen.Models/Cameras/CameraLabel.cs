// The 25-float EG3D camera label (16 floats cam2world, OpenCV convention, + 9 floats normalised intrinsics),
// its validation and EG3D's pose helpers (LookAtPoseSampler with zero std, FOV_to_intrinsics).
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Cameras;

/// <summary>A camera label that is not 25 finite floats.</summary>
public sealed class InvalidCameraException(string argument, string message) : ArgumentException($"{argument}: {message}", argument);

/// <summary>Builders and checks for EG3D camera labels.</summary>
public static class CameraLabel
{
    /// <summary>Floats per label: 16 (cam2world 4×4, row-major) + 9 (normalised intrinsics 3×3).</summary>
    public const int Length = 25;
    /// <summary>The FFHQ focal length used by EG3D's scripts (2985.29/700).</summary>
    public const float FfhqFocal = 4.2647f;

    /// <summary>EG3D's FOV_to_intrinsics with its constants 3.14159 and 1.414: f = 1/(tan(fov·3.14159/360)·1.414).</summary>
    public static float FovToFocal(float fovDegrees) => (float)(1.0 / (Math.Tan(fovDegrees * 3.14159 / 360.0) * 1.414));

    /// <summary>Normalised intrinsics [f,0,0.5, 0,f,0.5, 0,0,1].</summary>
    public static float[] Intrinsics(float focal) => [focal, 0, 0.5f, 0, focal, 0.5f, 0, 0, 1];

    /// <summary>LookAtPoseSampler.sample(π/2+yaw, π/2+pitch, pivot, radius) with zero std: a 4×4 cam2world, row-major.</summary>
    public static float[] LookAtPose(float yaw, float pitch, float radius = 2.7f, float[]? pivot = null)
    {
        pivot ??= [0f, 0f, 0.2f];
        float h = MathF.PI / 2 + yaw;
        float v = Math.Clamp(MathF.PI / 2 + pitch, 1e-5f, MathF.PI - 1e-5f);
        float theta = h, phi = MathF.Acos(1 - 2 * v / MathF.PI);
        float[] origin =
        [
            radius * MathF.Sin(phi) * MathF.Cos(MathF.PI - theta),
            radius * MathF.Cos(phi),
            radius * MathF.Sin(phi) * MathF.Sin(MathF.PI - theta),
        ];
        var f = Normalize([pivot[0] - origin[0], pivot[1] - origin[1], pivot[2] - origin[2]]);
        float[] up = [0, 1, 0];
        var right = Normalize(Cross(up, f));
        for (int i = 0; i < 3; i++) right[i] = -right[i];
        var u = Normalize(Cross(f, right));
        return
        [
            right[0], u[0], f[0], origin[0],
            right[1], u[1], f[1], origin[1],
            right[2], u[2], f[2], origin[2],
            0, 0, 0, 1,
        ];
    }

    /// <summary>The 25-float label of a look-at camera: pose (yaw, pitch in radians around π/2) + intrinsics.</summary>
    public static float[] Create(float yaw, float pitch, float radius = 2.7f, float[]? pivot = null, float focal = FfhqFocal) =>
        [.. LookAtPose(yaw, pitch, radius, pivot), .. Intrinsics(focal)];

    /// <summary>Throws <see cref="InvalidCameraException"/> naming <paramref name="argument"/> unless <paramref name="labels"/> holds
    /// a whole number of 25-float labels, all finite. Returns the number of labels.</summary>
    public static int Validate(ReadOnlySpan<float> labels, string argument)
    {
        if (labels.Length == 0 || labels.Length % Length != 0)
            throw new InvalidCameraException(argument, $"a camera label is {Length} floats (16 cam2world + 9 intrinsics), got {labels.Length} values");
        for (int i = 0; i < labels.Length; i++)
            if (!float.IsFinite(labels[i]))
                throw new InvalidCameraException(argument, $"value {i % Length} of camera {i / Length} is {labels[i]}, not finite");
        return labels.Length / Length;
    }

    /// <summary>Validates a tensor of labels [N, 25] (or [25]) and returns it as host floats.</summary>
    public static float[] Validate(Tensor labels, int batch, string argument)
    {
        if (labels.Shape[^1] != Length || labels.Numel != (long)batch * Length)
            throw new InvalidCameraException(argument, $"expected shape [{batch},{Length}], got [{string.Join(",", labels.Shape)}]");
        var data = labels.ToArray();
        Validate(data, argument);
        return data;
    }

    /// <summary>Uploads labels as a [N, 25] tensor after validation.</summary>
    public static Tensor ToTensor(IBackend backend, float[] labels, string argument = "camera")
    {
        int n = Validate(labels, argument);
        return Tensor.FromArray(backend, labels, n, Length);
    }

    static float[] Cross(float[] a, float[] b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    static float[] Normalize(float[] v)
    {
        float n = MathF.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return [v[0] / n, v[1] / n, v[2] / n];
    }
}
