// FaceMesh on a face region: a square crop rotated so the eyes are level (1.5× the region), 192², RGB/255, run the
// graph, map the 468 points back to the photo. Two more passes re-crop around the previous pass's landmarks, which makes the result independent of the detector's box jitter.
using My3DGen.Faces.Detection;
using My3DGen.Faces.Graph;
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Landmarks;

/// <summary>Runs the FaceMesh graph model.</summary>
public sealed class FaceMeshLandmarker
{
    /// <summary>The model's input side in pixels.</summary>
    public const int InputSize = 192;
    /// <summary>Crop side relative to the face region.</summary>
    public const double CropScale = 1.5;
    readonly TfjsGraphModel _model;
    readonly GraphExecutor _executor;

    /// <summary>Loads facemesh.json from <paramref name="modelFolder"/> (the bundled models by default).</summary>
    public FaceMeshLandmarker(string? modelFolder = null)
    {
        _model = TfjsGraphModel.Load(FaceModelFiles.Path("facemesh", modelFolder));
        _executor = new GraphExecutor(_model);
    }

    /// <summary>Landmarks for the face found by the detector (three passes).</summary>
    public FaceMesh Estimate(PlanarImage photo, FaceDetection face)
    {
        var (re, le) = (face.Keypoints[0], face.Keypoints[1]);
        double angle = Math.Atan2(le.Y - re.Y, le.X - re.X);
        var first = Run(photo, (face.X0 + face.X1) / 2, (face.Y0 + face.Y1) / 2, Math.Max(face.Width, face.Height) * CropScale, angle);
        return Refine(photo, Refine(photo, first));
    }

    /// <summary>Re-runs the model on a crop around <paramref name="mesh"/>'s own landmarks.</summary>
    public FaceMesh Refine(PlanarImage photo, FaceMesh mesh)
    {
        var a = mesh.Points[FaceMesh.LeftEyeOuter]; var b = mesh.Points[FaceMesh.RightEyeOuter];
        double angle = Math.Atan2(b.Y - a.Y, b.X - a.X), cos = Math.Cos(angle), sin = Math.Sin(angle);
        // Bounding box of the landmarks in the eye-level frame.
        double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
        foreach (var p in mesh.Points)
        {
            double u = p.X * cos + p.Y * sin, v = -p.X * sin + p.Y * cos;
            minU = Math.Min(minU, u); maxU = Math.Max(maxU, u); minV = Math.Min(minV, v); maxV = Math.Max(maxV, v);
        }
        double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
        double side = Math.Max(maxU - minU, maxV - minV) * CropScale;
        return Run(photo, cu * cos - cv * sin, cu * sin + cv * cos, side, angle);
    }

    FaceMesh Run(PlanarImage photo, double cx, double cy, double side, double angle)
    {
        var crop = Resampler.RotatedCrop(photo, cx, cy, side, angle, InputSize);
        var input = new GraphTensor(1, InputSize, InputSize, 3);
        for (int i = 0; i < input.Data.Length; i++) input.Data[i] = crop.Data[i] / 255f;
        var outs = _executor.Run(new Dictionary<string, GraphTensor> { [_model.InputNames[0]] = input }, "Identity_2", "Identity_1");
        double cos = Math.Cos(angle), sin = Math.Sin(angle), k = side / InputSize;
        var pts = new Point3[468];
        for (int i = 0; i < 468; i++)
        {
            double lx = outs[0].Data[3 * i] * k - side / 2, ly = outs[0].Data[3 * i + 1] * k - side / 2;
            pts[i] = new Point3(cx + lx * cos - ly * sin, cy + lx * sin + ly * cos, outs[0].Data[3 * i + 2] * k);
        }
        return new FaceMesh(pts, outs[1].Data[0]);
    }
}
