// The cameras of a render: the model's average camera (EG3D's conditioning default), a yaw × pitch grid around it,
// labels from a .npy [K,25], and the orbit path of the orbit GIFs. Labels are validated (25 finite floats each).
using System.Globalization;
using My3DGen.Models.Cameras;

namespace My3DGen.Models.Api;

/// <summary>One camera to render from: its name (the suffix of its output files) and its 25-float EG3D label.</summary>
public sealed record RenderView(string Name, float[] Label);

/// <summary>Builds render and conditioning cameras.</summary>
public static class RenderViews
{
    /// <summary>The frontal camera at the model's average radius and pivot: the default conditioning camera of the mapping.</summary>
    public static float[] AverageCamera(Eg3dGenerator generator) => AtAverage(generator, 0f, 0f);

    /// <summary>Every (yaw, pitch) pair in radians, pitch-major, named yaw±0.00_pitch±0.00, at the model's average radius and pivot.</summary>
    public static IReadOnlyList<RenderView> FromYawPitch(Eg3dGenerator generator, IReadOnlyList<float> yaws, IReadOnlyList<float> pitches) =>
        (from p in pitches from y in yaws
         select new RenderView($"yaw{Signed(y)}_pitch{Signed(p)}", AtAverage(generator, y, p))).ToList();

    /// <summary>One view per row of a .npy [K,25] (or [25]) of camera labels, named camNN.</summary>
    /// <exception cref="Engine.IO.FileFormatException">Wrong shape or a non-finite value; the message names the file.</exception>
    public static IReadOnlyList<RenderView> FromCameraFile(string path)
    {
        var data = NpyShapes.Read(path, $"[K,{CameraLabel.Length}]", [-1, CameraLabel.Length], [CameraLabel.Length]).Data;
        int k = CheckFinite(data, path);
        return Enumerable.Range(0, k).Select(i => new RenderView($"cam{i:D2}", data.AsSpan(i * 25, 25).ToArray())).ToList();
    }

    /// <summary>One conditioning label from a .npy [25] or [1,25].</summary>
    /// <exception cref="Engine.IO.FileFormatException">Wrong shape or a non-finite value; the message names the file.</exception>
    public static float[] ReadConditioningCamera(string path)
    {
        var data = NpyShapes.Read(path, $"[{CameraLabel.Length}]", [CameraLabel.Length], [1, CameraLabel.Length]).Data;
        CheckFinite(data, path);
        return data;
    }

    /// <summary>The <paramref name="frames"/> cameras of an orbit: yaw 0.35·sin(2πt), pitch −0.05 + 0.25·cos(2πt), t = f/frames.</summary>
    public static IReadOnlyList<float[]> Orbit(Eg3dGenerator generator, int frames) =>
        Enumerable.Range(0, frames).Select(f =>
        {
            double t = (double)f / frames;
            return AtAverage(generator, (float)(0.35 * Math.Sin(2 * Math.PI * t)), (float)(-0.05 + 0.25 * Math.Cos(2 * Math.PI * t)));
        }).ToList();

    static float[] AtAverage(Eg3dGenerator g, float yaw, float pitch) =>
        CameraLabel.Create(yaw, pitch, g.Config.Rendering.AvgCameraRadius, g.Config.Rendering.AvgCameraPivot);

    static int CheckFinite(float[] data, string path)
    {
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new Engine.IO.FileFormatException(path, $"value {i % CameraLabel.Length} of camera {i / CameraLabel.Length} is {data[i]}, not finite");
        return data.Length / CameraLabel.Length;
    }

    static string Signed(float v) => v.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
}
