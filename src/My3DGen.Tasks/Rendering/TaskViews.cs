// The cameras of the tasks: N random views in the paper's evaluation range (yaw U(±0.35), pitch U(±0.25) radians around
// the frontal pose, at the model's average radius and pivot, EG3D's LookAtPoseSampler convention), or fixed yaw × pitch.
using System.Globalization;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Latents;

namespace My3DGen.Tasks.Rendering;

/// <summary>Builds the views a task renders from.</summary>
public static class TaskViews
{
    /// <summary>The paper's yaw range: ±0.35 rad (gen_videos' orbit amplitude).</summary>
    public const float YawRange = 0.35f;
    /// <summary>The paper's pitch range: ±0.25 rad.</summary>
    public const float PitchRange = 0.25f;

    /// <summary><paramref name="count"/> views with yaw ~ U(−0.35, 0.35), pitch ~ U(−0.25, 0.25) from a numpy RandomState(<paramref name="seed"/>).</summary>
    public static IReadOnlyList<RenderView> Random(Eg3dGenerator generator, int count, int seed)
    {
        var rng = new NumpyRandomState((uint)seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            float yaw = (float)((rng.NextDouble() * 2 - 1) * YawRange), pitch = (float)((rng.NextDouble() * 2 - 1) * PitchRange);
            return RenderViews.FromYawPitch(generator, [yaw], [pitch])[0];
        }).ToList();
    }

    /// <summary>Caption of a view named yaw±a_pitch±b: "yaw ±a\npitch ±b".</summary>
    public static string Caption(RenderView view) => view.Name.Replace("yaw", "yaw ", StringComparison.Ordinal)
        .Replace("_pitch", "\npitch ", StringComparison.Ordinal);

    internal static string Signed(double v, string format = "+0.00;-0.00") => v.ToString(format, CultureInfo.InvariantCulture);
}
