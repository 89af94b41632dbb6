// BlazeFace (back model, 256²) on a whole photo: letterbox to a square (photo at the top-left, black pad), run the
// graph, decode the 896 anchors (16×16×2 at stride 16, then 8×8×6 at stride 32; offsets in input pixels), sigmoid
// scores, greedy non-maximum suppression on the host, and boxes mapped back to photo pixels.
using My3DGen.Faces.Graph;
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Detection;

/// <summary>Finds faces with the BlazeFace graph model.</summary>
public sealed class BlazeFaceDetector
{
    /// <summary>The model's input side in pixels.</summary>
    public const int InputSize = 256;
    readonly TfjsGraphModel _model;
    readonly GraphExecutor _executor;
    static readonly Point2[] Anchors = MakeAnchors();

    /// <summary>Loads blazeface.json from <paramref name="modelFolder"/> (the bundled models by default).</summary>
    public BlazeFaceDetector(string? modelFolder = null)
    {
        _model = TfjsGraphModel.Load(FaceModelFiles.Path("blazeface", modelFolder));
        _executor = new GraphExecutor(_model);
    }

    /// <summary>Minimum score of a reported face (default 0.6).</summary>
    public double MinScore { get; init; } = 0.6;
    /// <summary>Overlap above which the weaker of two boxes is suppressed (default 0.3).</summary>
    public double IouThreshold { get; init; } = 0.3;

    /// <summary>The anchor centres in input pixels, in the graph's output order.</summary>
    static Point2[] MakeAnchors()
    {
        var list = new List<Point2>();
        foreach (var (stride, perCell) in new[] { (16, 2), (32, 6) })
        {
            int grid = InputSize / stride;
            for (int gy = 0; gy < grid; gy++)
                for (int gx = 0; gx < grid; gx++)
                    for (int n = 0; n < perCell; n++) list.Add(new Point2(stride * (gx + 0.5), stride * (gy + 0.5)));
        }
        return list.ToArray();
    }

    /// <summary>All faces above <see cref="MinScore"/> after suppression, largest score first, in photo pixels.</summary>
    public IReadOnlyList<FaceDetection> Detect(PlanarImage photo)
    {
        double side = Math.Max(photo.Width, photo.Height), scale = side / InputSize;
        var small = Resampler.ResizeRect(photo, 0, 0, side, side, InputSize, InputSize, ResampleKernel.Triangle);
        var input = new GraphTensor(1, InputSize, InputSize, 3);
        for (int i = 0; i < input.Data.Length; i++) input.Data[i] = small.Data[i] / 127.5f - 1f;
        var outs = _executor.Run(new Dictionary<string, GraphTensor> { [_model.InputNames[0]] = input }, "Identity", "Identity_2", "Identity_1", "Identity_3");
        var candidates = new List<FaceDetection>();
        for (int a = 0; a < Anchors.Length; a++)
        {
            bool first = a < 512;
            int j = first ? a : a - 512;
            float logit = (first ? outs[0] : outs[2]).Data[j];
            double score = 1 / (1 + Math.Exp(-logit));
            if (score < MinScore) continue;
            var reg = (first ? outs[1] : outs[3]).Data.AsSpan(j * 16, 16);
            var an = Anchors[a];
            double cx = reg[0] + an.X, cy = reg[1] + an.Y, w = reg[2], h = reg[3];
            var kps = new Point2[6];
            for (int k = 0; k < 6; k++) kps[k] = new Point2((reg[4 + 2 * k] + an.X) * scale, (reg[5 + 2 * k] + an.Y) * scale);
            candidates.Add(new FaceDetection((cx - w / 2) * scale, (cy - h / 2) * scale, (cx + w / 2) * scale, (cy + h / 2) * scale, score, kps));
        }
        return Suppress(candidates, IouThreshold);
    }

    /// <summary>Greedy non-maximum suppression: keep the best score, drop boxes overlapping it above <paramref name="iou"/>, repeat.</summary>
    public static List<FaceDetection> Suppress(IEnumerable<FaceDetection> boxes, double iou)
    {
        var kept = new List<FaceDetection>();
        foreach (var b in boxes.OrderByDescending(b => b.Score))
            if (kept.All(k => k.IoU(b) <= iou)) kept.Add(b);
        return kept;
    }
}
