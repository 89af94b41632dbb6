// MediaPipe's canonical face (468 vertices in FaceMesh order; x to the viewer's right, y up, z toward the viewer), read
// from models/face/canonical_face_model.txt. Its frame agrees with Deep3DFaceRecon's 5-point template within a degree or
// two (eye→mouth tilt 6.7° vs 7.7°), so a fit to it gives EG3D-style head angles.
using My3DGen.Faces.Graph;
using My3DGen.Faces.Landmarks;

namespace My3DGen.Faces.Pose;

/// <summary>The canonical face's vertices.</summary>
public sealed class CanonicalFace
{
    /// <summary>468 vertices (cm).</summary>
    public IReadOnlyList<Point3> Vertices { get; }

    /// <summary>Indices used for the pose: the rigid upper face (above the nose base), which a smile or an open mouth does not move.</summary>
    public IReadOnlyList<int> RigidIndices { get; }

    CanonicalFace(Point3[] v)
    {
        Vertices = v;
        RigidIndices = Enumerable.Range(0, v.Length).Where(i => v[i].Y > -2.2).ToArray();
    }

    /// <summary>For each vertex, the vertex at its mirror image (x negated): the left-right pairing of the 468 points, which
    /// maps each point onto itself on the midline. The canonical face is symmetric to 1e-6 cm.</summary>
    public int[] MirrorPairs()
    {
        var pairs = new int[Vertices.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            var v = Vertices[i];
            int best = -1; double bestD = double.MaxValue;
            for (int j = 0; j < pairs.Length; j++)
            {
                var w = Vertices[j];
                double d = Math.Pow(w.X + v.X, 2) + Math.Pow(w.Y - v.Y, 2) + Math.Pow(w.Z - v.Z, 2);
                if (d < bestD) { bestD = d; best = j; }
            }
            if (bestD > 1e-6) throw new FaceModelException("canonical_face_model.txt", $"vertex {i} has no mirror image (nearest {Math.Sqrt(bestD):0.000} cm away)");
            pairs[i] = best;
        }
        return pairs;
    }

    /// <summary>Loads canonical_face_model.txt from <paramref name="folder"/> (the bundled models by default).</summary>
    public static CanonicalFace Load(string? folder = null)
    {
        string path = Path.Combine(folder ?? FaceModelFiles.DefaultFolder, "canonical_face_model.txt");
        if (!File.Exists(path)) throw new FaceModelException(path, "canonical face model not found");
        var rows = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select(l =>
            l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        if (rows.Length != 468 || rows.Any(r => r.Length != 3)) throw new FaceModelException(path, $"expected 468 lines of 'x y z', got {rows.Length}");
        return new CanonicalFace(rows.Select(r => new Point3(r[0], r[1], r[2])).ToArray());
    }
}
