// Marching-cubes extraction on analytic densities (an off-centre sphere, a torus, a grid-filling block) checked for
// accuracy, closed-manifold topology (Euler characteristic, every edge in exactly two triangles) and outward winding,
// plus a PLY round trip that parses the written header and binary payload back (the `shape` verb is tested in My3DGen.Cli.Tests).
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using My3DGen.Models.Geometry;
using My3DGen.Models.Tests.Eg3d;
using My3DGen.Models.Rendering;

namespace My3DGen.Models.Tests.Geometry;

public class MarchingCubesTests
{
    static readonly Vector3 Min = new(-1f), Max = new(1f);

    /// <summary>Density f(p) sampled like DensityGrid: element (i, j, k) at (x_k, y_j, z_i), cell centres.</summary>
    static float[] Sample(int r, Func<Vector3, float> f)
    {
        var g = new float[r * r * r];
        float step = (Max.X - Min.X) / r;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                for (int k = 0; k < r; k++)
                    g[(i * r + j) * r + k] = f(new Vector3(Min.X + (k + 0.5f) * step, Min.Y + (j + 0.5f) * step, Min.Z + (i + 0.5f) * step));
        return g;
    }

    static Vector3 V(TriangleMesh m, int id) => new(m.Vertices[id * 3], m.Vertices[id * 3 + 1], m.Vertices[id * 3 + 2]);

    /// <summary>Asserts every directed edge occurs once and its reverse once (closed, consistently wound 2-manifold);
    /// returns V − E + F.</summary>
    static int CheckClosedManifold(TriangleMesh m)
    {
        var directed = new HashSet<(int, int)>();
        var t = m.Triangles;
        for (int f = 0; f < t.Length; f += 3)
        {
            Assert.That(t[f] != t[f + 1] && t[f + 1] != t[f + 2] && t[f] != t[f + 2], $"triangle {f / 3} repeats a vertex");
            for (int e = 0; e < 3; e++)
                Assert.That(directed.Add((t[f + e], t[f + (e + 1) % 3])), $"directed edge repeated at triangle {f / 3}");
        }
        foreach (var (a, b) in directed) Assert.That(directed.Contains((b, a)), $"edge {a}-{b} has one triangle");
        var used = new HashSet<int>(t);
        Assert.That(used.Count, Is.EqualTo(m.VertexCount), "unreferenced vertices");
        return m.VertexCount - directed.Count / 2 + m.TriangleCount;
    }

    static double SignedVolume(TriangleMesh m)
    {
        double vol = 0;
        for (int f = 0; f < m.Triangles.Length; f += 3)
            vol += Vector3.Dot(V(m, m.Triangles[f]), Vector3.Cross(V(m, m.Triangles[f + 1]), V(m, m.Triangles[f + 2]))) / 6.0;
        return vol;
    }

    [Test]
    public void SphereIsAccurateClosedGenusZeroAndOutward()
    {
        const int r = 32;
        var c = new Vector3(0.2f, -0.1f, 0.05f);
        const float radius = 0.55f;
        var grid = Sample(r, p => radius - (p - c).Length()); // > 0 inside
        var m = MarchingCubes.Extract(grid, r, 0f, Min, Max);
        Assert.That(m.TriangleCount, Is.GreaterThan(1000));
        float halfVoxel = 0.5f * (Max.X - Min.X) / r;
        for (int q = 0; q < m.VertexCount; q++)
            Assert.That(Math.Abs((V(m, q) - c).Length() - radius), Is.LessThan(halfVoxel), $"vertex {q}");
        Assert.That(CheckClosedManifold(m), Is.EqualTo(2));
        for (int f = 0; f < m.Triangles.Length; f += 3)
        {
            Vector3 a = V(m, m.Triangles[f]), b = V(m, m.Triangles[f + 1]), d = V(m, m.Triangles[f + 2]);
            var n = Vector3.Cross(b - a, d - a);
            if (n.Length() < 1e-9f) continue;
            Assert.That(Vector3.Dot(n, (a + b + d) / 3 - c), Is.GreaterThan(0f), $"triangle {f / 3} faces inwards");
        }
        double vol = SignedVolume(m), exact = 4.0 / 3 * Math.PI * radius * radius * radius;
        Assert.That(vol, Is.EqualTo(exact).Within(0.03 * exact));
    }

    [Test]
    public void TorusHasEulerCharacteristicZero()
    {
        const int r = 32;
        var grid = Sample(r, p =>
        {
            float q = new Vector2(p.X, p.Y).Length() - 0.55f;
            return 0.22f - new Vector2(q, p.Z).Length();
        });
        var m = MarchingCubes.Extract(grid, r, 0f, Min, Max);
        Assert.That(CheckClosedManifold(m), Is.EqualTo(0));
        Assert.That(SignedVolume(m), Is.GreaterThan(0));
    }

    [Test]
    public void SurfaceTouchingTheGridIsCappedOnTheBox()
    {
        const int r = 8;
        var grid = Sample(r, _ => 20f); // dense everywhere: with capping, the mesh is the box itself
        var m = MarchingCubes.Extract(grid, r, 10f, Min, Max);
        Assert.That(CheckClosedManifold(m), Is.EqualTo(2));
        for (int q = 0; q < m.VertexCount; q++) // every vertex on a face of the box (box edges are chamfered by ≤ one voxel)
            Assert.That(Math.Max(Math.Abs(V(m, q).X), Math.Max(Math.Abs(V(m, q).Y), Math.Abs(V(m, q).Z))), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(SignedVolume(m), Is.InRange(7.8, 8.0));
        var open = MarchingCubes.Extract(grid, r, 10f, Min, Max, closeBoundary: false);
        Assert.That(open.TriangleCount, Is.EqualTo(0));
        Assert.That(MarchingCubes.Extract(Sample(r, _ => 0f), r, 10f, Min, Max).TriangleCount, Is.EqualTo(0));
    }

    [Test]
    public void RejectsMismatchedGrid()
    {
        Assert.Throws<ArgumentException>(() => MarchingCubes.Extract(new float[26], 3, 0f, Min, Max));
        Assert.Throws<ArgumentException>(() => MarchingCubes.Extract(new float[8], 2, 0f, Max, Min));
    }

    [Test]
    public void PlyRoundTrip()
    {
        var mesh = MarchingCubes.Extract(Sample(12, p => 0.5f - p.Length()), 12, 0f, Min, Max);
        var path = Path.Combine(Path.GetTempPath(), "my3dgen-models-tests", $"mesh-{Guid.NewGuid():N}.ply");
        PlyWriter.Write(path, mesh, "test mesh");
        try
        {
            var bytes = File.ReadAllBytes(path);
            const string endTag = "end_header\n";
            int end = Encoding.ASCII.GetString(bytes).IndexOf(endTag, StringComparison.Ordinal) + endTag.Length;
            var lines = Encoding.ASCII.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Is.EqualTo("ply"));
            Assert.That(lines[1], Is.EqualTo("format binary_little_endian 1.0"));
            Assert.That(lines, Does.Contain("comment test mesh"));
            Assert.That(lines, Does.Contain("property float x").And.Contain("property list uchar int vertex_indices"));
            int nv = int.Parse(lines.Single(l => l.StartsWith("element vertex ")).Split(' ')[2]);
            int nf = int.Parse(lines.Single(l => l.StartsWith("element face ")).Split(' ')[2]);
            Assert.That((nv, nf), Is.EqualTo((mesh.VertexCount, mesh.TriangleCount)));
            Assert.That(bytes.Length, Is.EqualTo(end + nv * 12 + nf * 13));
            var body = bytes.AsSpan(end);
            for (int q = 0; q < nv * 3; q++)
                Assert.That(BinaryPrimitives.ReadSingleLittleEndian(body[(q * 4)..]), Is.EqualTo(mesh.Vertices[q]));
            var faces = body[(nv * 12)..];
            for (int f = 0; f < nf; f++)
            {
                Assert.That(faces[f * 13], Is.EqualTo(3));
                for (int c = 0; c < 3; c++)
                    Assert.That(BinaryPrimitives.ReadInt32LittleEndian(faces[(f * 13 + 1 + 4 * c)..]), Is.EqualTo(mesh.Triangles[f * 3 + c]));
            }
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*"), Is.Empty, "temp file left");
        }
        finally { File.Delete(path); }
    }
}
