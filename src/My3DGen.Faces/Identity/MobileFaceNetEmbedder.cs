// Face identity embeddings with MobileFaceNet (192-d, L2-normalised inside the graph): a SUBSTITUTE for the paper's
// ArcFace IR-SE50 (512-d), not the same network. Input: the face region resampled to 112² (triangle filter), RGB mapped by
// (x − 127.5)/128 as MobileFaceNet_TF trains it (@vladmandic/human feeds [0,1]). KNOWN PROBLEM: with either input, TF.js
// and this runner alike, any two inputs embed at cos ≥ 0.998 (a face and a flag too), so it measures no identity and
// `metrics` does not offer it; IdentityTests holds the TF.js comparison on photo windows.
using My3DGen.Faces.Graph;
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Identity;

/// <summary>MobileFaceNet identity embeddings and cosine similarity (substitute for ArcFace IR-SE50).</summary>
public sealed class MobileFaceNetEmbedder
{
    /// <summary>The label to print next to any number this produces.</summary>
    public const string Label = "MobileFaceNet (substitute for the paper's ArcFace IR-SE50)";
    /// <summary>Input side in pixels.</summary>
    public const int InputSize = 112;
    /// <summary>Embedding length.</summary>
    public const int Dimension = 192;

    /// <summary>The face region of an EG3D-aligned crop, as fractions of its side (x0, y0, side): places the eyes and mouth
    /// where a 112² InsightFace-aligned face has them (eye distance ≈ 0.32 of the side).</summary>
    public static readonly (double X0, double Y0, double Side) Eg3dFaceRegion = (0.06, 0.0, 0.88);

    readonly TfjsGraphModel _model;
    readonly GraphExecutor _executor;

    /// <summary>Loads mobilefacenet.json from <paramref name="modelFolder"/> (the bundled models by default).</summary>
    public MobileFaceNetEmbedder(string? modelFolder = null)
    {
        _model = TfjsGraphModel.Load(FaceModelFiles.Path("mobilefacenet", modelFolder));
        _executor = new GraphExecutor(_model);
    }

    /// <summary>The unit embedding of the square region (x0, y0, side) of <paramref name="image"/> (pixels).</summary>
    public float[] Embed(PlanarImage image, double x0, double y0, double side)
    {
        var face = Resampler.ResizeRect(image, x0, y0, side, side, InputSize, InputSize, ResampleKernel.Triangle);
        var input = new GraphTensor(1, InputSize, InputSize, 3);
        for (int i = 0; i < input.Data.Length; i++) input.Data[i] = (face.Data[i] - 127.5f) / 128f;
        var e = _executor.Run(new Dictionary<string, GraphTensor> { [_model.InputNames[0]] = input }, "embeddings")[0].Data;
        return (float[])e.Clone();
    }

    /// <summary>The unit embedding of an EG3D-aligned crop (any size; the face region is <see cref="Eg3dFaceRegion"/>).</summary>
    public float[] EmbedAligned(PlanarImage aligned)
    {
        var (x0, y0, side) = Eg3dFaceRegion;
        return Embed(aligned, x0 * aligned.Width, y0 * aligned.Height, side * Math.Min(aligned.Width, aligned.Height));
    }

    /// <summary>Cosine similarity of two embeddings.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
