// FaceMesh on a face region: a square crop rotated so the eyes are level (1.5× the region), 192², RGB/255, run the
// graph, map the 468 points back to the photo. A first pass on the detector's box finds the face; the answer is the mean
// over a grid of shifted crops around that pass's landmarks, each also run mirrored, which cancels the model's jitter.
using My3DGen.Faces.Detection;
using My3DGen.Faces.Graph;
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Landmarks;

/// <summary>A FaceMesh input crop: centre and side in photo pixels, and the angle (radians) of its x axis in the photo.</summary>
/// <param name="Cx">Centre column.</param>
/// <param name="Cy">Centre row.</param>
/// <param name="Side">Side.</param>
/// <param name="Angle">Rotation of the crop's x axis.</param>
internal readonly record struct MeshCrop(double Cx, double Cy, double Side, double Angle);

/// <summary>Runs the FaceMesh graph model.</summary>
public sealed class FaceMeshLandmarker
{
    /// <summary>The model's input side in pixels.</summary>
    public const int InputSize = 192;
    /// <summary>Crop side relative to the face region.</summary>
    public const double CropScale = 1.5;
    /// <summary>The shifted crops of the final pass: a <see cref="ShiftGrid"/>² grid spanning ±<see cref="ShiftSpan"/> of the
    /// crop side in both directions, each crop run plain and mirrored (19 model runs a face with the first pass). A single
    /// crop moves the landmarks by 0.3–0.6 px per pixel of crop shift, erratically (strided convolutions are not
    /// shift-invariant), and its points sit 0.6 input pixels left of where the mirrored run puts them; the mean is smooth and
    /// unbiased, so rescaling or padding the photo moves EG3D's crop by under a pixel at 512 (astronaut.png).</summary>
    public const int ShiftGrid = 3;
    /// <summary>Half-range of the shifts, as a fraction of the crop side.</summary>
    public const double ShiftSpan = 0.03;
    readonly TfjsGraphModel _model;
    readonly GraphExecutor _executor;
    readonly int[] _mirror;

    /// <summary>Loads facemesh.json and the canonical face (for the mirror pairing of the 468 points) from
    /// <paramref name="modelFolder"/> (the bundled models by default).</summary>
    public FaceMeshLandmarker(string? modelFolder = null)
    {
        _model = TfjsGraphModel.Load(FaceModelFiles.Path("facemesh", modelFolder));
        _executor = new GraphExecutor(_model);
        _mirror = Pose.CanonicalFace.Load(modelFolder).MirrorPairs();
    }

    /// <summary>Landmarks for the face found by the detector: a pass on the detector's box, then the smoothed pass.</summary>
    public FaceMesh Estimate(PlanarImage photo, FaceDetection face)
    {
        var (re, le) = (face.Keypoints[0], face.Keypoints[1]);
        var box = new MeshCrop((face.X0 + face.X1) / 2, (face.Y0 + face.Y1) / 2, Math.Max(face.Width, face.Height) * CropScale,
            Math.Atan2(le.Y - re.Y, le.X - re.X));
        return Refine(photo, Run(photo, box, mirrored: false));
    }

    /// <summary>The mean landmarks over the grid of shifted crops (plain and mirrored) around <paramref name="mesh"/>'s own landmarks.</summary>
    public FaceMesh Refine(PlanarImage photo, FaceMesh mesh)
    {
        var c = CropOf(mesh);
        double cos = Math.Cos(c.Angle), sin = Math.Sin(c.Angle);
        var sum = new double[468 * 3];
        double confidence = 0;
        int runs = 0;
        for (int i = 0; i < ShiftGrid; i++)
            for (int j = 0; j < ShiftGrid; j++)
            {
                double u = ShiftSpan * c.Side * Offset(i), v = ShiftSpan * c.Side * Offset(j);
                var shifted = c with { Cx = c.Cx + u * cos - v * sin, Cy = c.Cy + u * sin + v * cos };
                foreach (bool mirrored in new[] { false, true })
                {
                    var m = Run(photo, shifted, mirrored);
                    for (int k = 0; k < 468; k++) { sum[3 * k] += m.Points[k].X; sum[3 * k + 1] += m.Points[k].Y; sum[3 * k + 2] += m.Points[k].Z; }
                    confidence += m.Confidence; runs++;
                }
            }
        static double Offset(int i) => 2.0 * i / (ShiftGrid - 1) - 1;
        var points = new Point3[468];
        for (int k = 0; k < 468; k++) points[k] = new Point3(sum[3 * k] / runs, sum[3 * k + 1] / runs, sum[3 * k + 2] / runs);
        return new FaceMesh(points, confidence / runs);
    }

    /// <summary>The crop around a mesh: eye-level (outer eye corners), centred on the landmarks' box in that frame, 1.5× its larger side.</summary>
    internal static MeshCrop CropOf(FaceMesh mesh)
    {
        var a = mesh.Points[FaceMesh.LeftEyeOuter]; var b = mesh.Points[FaceMesh.RightEyeOuter];
        double angle = Math.Atan2(b.Y - a.Y, b.X - a.X), cos = Math.Cos(angle), sin = Math.Sin(angle);
        double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
        foreach (var p in mesh.Points)
        {
            double u = p.X * cos + p.Y * sin, v = -p.X * sin + p.Y * cos;
            minU = Math.Min(minU, u); maxU = Math.Max(maxU, u); minV = Math.Min(minV, v); maxV = Math.Max(maxV, v);
        }
        double cu = (minU + maxU) / 2, cv = (minV + maxV) / 2;
        return new MeshCrop(cu * cos - cv * sin, cu * sin + cv * cos, Math.Max(maxU - minU, maxV - minV) * CropScale, angle);
    }

    /// <summary>One model run on <paramref name="crop"/>; when <paramref name="mirrored"/>, on the crop flipped left-right,
    /// with the points flipped back and renumbered through the mirror pairs.</summary>
    internal FaceMesh Run(PlanarImage photo, MeshCrop crop, bool mirrored)
    {
        var image = Resampler.RotatedCrop(photo, crop.Cx, crop.Cy, crop.Side, crop.Angle, InputSize);
        var input = new GraphTensor(1, InputSize, InputSize, 3);
        for (int y = 0; y < InputSize; y++)
            for (int x = 0; x < InputSize; x++)
            {
                int src = (y * InputSize + (mirrored ? InputSize - 1 - x : x)) * 3, dst = (y * InputSize + x) * 3;
                for (int ch = 0; ch < 3; ch++) input.Data[dst + ch] = image.Data[src + ch] / 255f;
            }
        var outs = _executor.Run(new Dictionary<string, GraphTensor> { [_model.InputNames[0]] = input }, "Identity_2", "Identity_1");
        double cos = Math.Cos(crop.Angle), sin = Math.Sin(crop.Angle), k = crop.Side / InputSize;
        var pts = new Point3[468];
        for (int i = 0; i < 468; i++)
        {
            int o = mirrored ? _mirror[i] : i;
            double mx = outs[0].Data[3 * o], my = outs[0].Data[3 * o + 1];
            if (mirrored) mx = InputSize - mx;
            double lx = mx * k - crop.Side / 2, ly = my * k - crop.Side / 2;
            pts[i] = new Point3(crop.Cx + lx * cos - ly * sin, crop.Cy + lx * sin + ly * cos, outs[0].Data[3 * o + 2] * k);
        }
        return new FaceMesh(pts, outs[1].Data[0]);
    }
}
