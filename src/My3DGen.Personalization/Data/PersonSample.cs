// One training example of a person: the aligned photo (CHW, values in [-1, 1]), its 25-float EG3D camera
// label and its latent anchor ws [num_ws·w_dim] (W repeated or W+). Create validates every shape and value range.
namespace My3DGen.Personalization.Data;

/// <summary>One photo of the person with its camera and latent anchor.</summary>
/// <param name="Name">The photo's name (its file name in a dataset folder); used in messages and the dataset fingerprint.</param>
/// <param name="Image">3·R·R floats, channel-major (CHW: all R, then all G, then all B), row-major within a channel, in [−1, 1].</param>
/// <param name="Resolution">R, the photo's width and height (the model's image resolution).</param>
/// <param name="Camera">25 floats: the 4×4 cam2world matrix row-major, then the 3×3 normalised intrinsics (EG3D's label).</param>
/// <param name="Latent">The anchor ws, num_ws·w_dim floats ([14, 512] for EG3D at 512²), row-major.</param>
public sealed record PersonSample(string Name, float[] Image, int Resolution, float[] Camera, float[] Latent)
{
    /// <summary>A sample whose shapes and values are checked: image 3·R·R floats in [−1, 1], 25 finite camera values,
    /// a finite latent of <paramref name="numWs"/>·<paramref name="wDim"/> floats, or <paramref name="wDim"/> floats (a W
    /// anchor, repeated num_ws times).</summary>
    /// <exception cref="ArgumentException">A shape or value is wrong; the message names the sample.</exception>
    public static PersonSample Create(string name, float[] image, int resolution, float[] camera, float[] latent, int numWs = 14, int wDim = 512)
    {
        if (resolution < 1) throw new ArgumentException($"{name}: resolution must be ≥ 1, got {resolution}", nameof(resolution));
        if (image.Length != 3L * resolution * resolution)
            throw new ArgumentException($"{name}: image has {image.Length} values, expected 3·{resolution}·{resolution} (CHW)", nameof(image));
        foreach (var v in image)
            if (!(v >= -1f && v <= 1f)) throw new ArgumentException($"{name}: image values must lie in [-1, 1], found {v}", nameof(image));
        if (camera.Length != 25) throw new ArgumentException($"{name}: camera has {camera.Length} values, expected 25", nameof(camera));
        if (camera.Any(v => !float.IsFinite(v))) throw new ArgumentException($"{name}: camera has non-finite values", nameof(camera));
        if (latent.Length == wDim) latent = Enumerable.Range(0, numWs).SelectMany(_ => latent).ToArray();
        if (latent.Length != numWs * wDim)
            throw new ArgumentException($"{name}: latent has {latent.Length} values, expected [{numWs},{wDim}] (W+) or [{wDim}] (W)", nameof(latent));
        if (latent.Any(v => !float.IsFinite(v))) throw new ArgumentException($"{name}: latent has non-finite values", nameof(latent));
        return new PersonSample(name, image, resolution, camera, latent);
    }
}
