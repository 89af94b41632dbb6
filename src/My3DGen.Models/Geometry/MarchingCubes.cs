// Iso-surface extraction from a density grid (DensityGrid's [z,y,x] layout, cell-centred samples): each cube is split
// into six tetrahedra (Freudenthal split along the main diagonal, identical in every cube) and marched; this avoids the
// ambiguous faces of the 256-case cube tables, so the mesh is closed and manifold. Vertices are shared per lattice edge.
using System.Numerics;
using My3DGen.Models.Rendering;

namespace My3DGen.Models.Geometry;

/// <summary>An indexed triangle mesh: <see cref="Vertices"/> holds x,y,z per vertex, <see cref="Triangles"/> three vertex
/// indices per triangle, wound counter-clockwise seen from outside (normals point to lower density).</summary>
public sealed record TriangleMesh(float[] Vertices, int[] Triangles)
{
    /// <summary>Number of vertices (Vertices.Length / 3).</summary>
    public int VertexCount => Vertices.Length / 3;

    /// <summary>Number of triangles (Triangles.Length / 3).</summary>
    public int TriangleCount => Triangles.Length / 3;
}

/// <summary>Marching-cubes style iso-surface extraction (tetrahedral decomposition of each cube).</summary>
public static class MarchingCubes
{
    // Cube corners are numbered by bits: bit 0 = +x, bit 1 = +y, bit 2 = +z. Each tetrahedron is a chain of corners
    // 0 ⊂ c1 ⊂ c2 ⊂ 7, so every tetrahedron edge goes from a corner to a bitwise superset: its lattice edge is named by
    // the lower corner (base) and the difference (one of 7 directions), which makes shared edges get one vertex.
    // Per tetrahedron and per 4-bit inside mask: the triangles as cube-corner pairs (low, high) × 3.
    static readonly (int Lo, int Hi)[][][] Cases = BuildCases();

    /// <summary>Extracts the surface σ = <paramref name="level"/> of <paramref name="grid"/>; "inside" is σ &gt; level.</summary>
    /// <param name="grid">R³ values; element (i, j, k) at index (i·R + j)·R + k is the sample at (x_k, y_j, z_i).</param>
    /// <param name="resolution">R, the number of samples per axis (≥ 2).</param>
    /// <param name="level">iso level.</param>
    /// <param name="boundsMin">world-space minimum corner of the sampled box; samples sit at cell centres,
    /// coordinate = min + (index + 0.5)·(max − min)/R (as in DensityGrid).</param>
    /// <param name="boundsMax">world-space maximum corner of the sampled box.</param>
    /// <param name="closeBoundary">treat everything outside the grid as empty, so surfaces that reach the grid's edge are
    /// capped on the box faces and the mesh stays closed.</param>
    public static TriangleMesh Extract(float[] grid, int resolution, float level, Vector3 boundsMin, Vector3 boundsMax,
        bool closeBoundary = true)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (resolution < 2) throw new ArgumentException($"resolution must be ≥ 2, got {resolution}", nameof(resolution));
        if (grid.LongLength != (long)resolution * resolution * resolution)
            throw new ArgumentException($"grid has {grid.LongLength} values, expected {resolution}³", nameof(grid));
        if (!float.IsFinite(level)) throw new ArgumentException("level must be finite", nameof(level));
        var size = boundsMax - boundsMin;
        if (!(size.X > 0 && size.Y > 0 && size.Z > 0))
            throw new ArgumentException("boundsMax must exceed boundsMin on every axis", nameof(boundsMax));

        int r = resolution;
        int off = closeBoundary ? 1 : 0;          // lattice index u ↔ grid index u − off
        int lat = r + 2 * off;                     // lattice points per axis
        var step = size / r;
        var origin = boundsMin + step * (0.5f - off); // world position of lattice point 0

        // Edge → vertex maps for the lattice planes z = w (cur) and z = w + 1 (next): index (y·L + x)·7 + dir.
        var cur = new int[lat * lat * 7];
        var next = new int[lat * lat * 7];
        Array.Fill(cur, -1);
        Array.Fill(next, -1);
        var verts = new List<float>(1 << 16);
        var tris = new List<int>(1 << 16);
        Span<float> v = stackalloc float[8];

        float Value(int u, int vv, int w)
        {
            int k = u - off, j = vv - off, i = w - off;
            if ((uint)k >= (uint)r || (uint)j >= (uint)r || (uint)i >= (uint)r) return float.NegativeInfinity;
            return grid[((long)i * r + j) * r + k];
        }

        for (int w = 0; w < lat - 1; w++)
        {
            for (int y = 0; y < lat - 1; y++)
            {
                for (int x = 0; x < lat - 1; x++)
                {
                    int mask = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        v[c] = Value(x + (c & 1), y + ((c >> 1) & 1), w + (c >> 2));
                        if (v[c] > level) mask |= 1 << c;
                    }
                    if (mask == 0 || mask == 255) continue;
                    for (int t = 0; t < 6; t++)
                    {
                        var corners = TetCorners[t];
                        int tm = 0;
                        for (int q = 0; q < 4; q++) if ((mask >> corners[q] & 1) != 0) tm |= 1 << q;
                        var pairs = Cases[t][tm];
                        for (int e = 0; e < pairs.Length; e++)
                            tris.Add(EdgeVertex(pairs[e].Lo, pairs[e].Hi, x, y, w, v));
                    }
                }
            }
            (cur, next) = (next, cur);
            Array.Fill(next, -1);
        }
        return new TriangleMesh(verts.ToArray(), tris.ToArray());

        int EdgeVertex(int lo, int hi, int x, int y, int w, Span<float> vals)
        {
            int dir = (lo ^ hi) - 1;
            int bx = x + (lo & 1), by = y + ((lo >> 1) & 1);
            var map = (lo & 4) != 0 ? next : cur;
            int slot = (by * lat + bx) * 7 + dir;
            int id = map[slot];
            if (id >= 0) return id;
            float a = vals[lo], b = vals[hi];
            float f = float.IsNegativeInfinity(a) || float.IsNegativeInfinity(b) ? 0.5f : (level - a) / (b - a);
            if (!float.IsFinite(f)) f = 0.5f;
            f = Math.Clamp(f, 0f, 1f);
            var pa = origin + step * new Vector3(bx, by, w + ((lo >> 2) & 1));
            var p = pa + step * Corner(lo ^ hi) * f;
            id = verts.Count / 3;
            verts.Add(p.X); verts.Add(p.Y); verts.Add(p.Z);
            map[slot] = id;
            return id;
        }
    }

    // The six tetrahedra 0 → e_π0 → e_π0 + e_π1 → 7 for the permutations π of the axes.
    static readonly int[][] TetCorners = BuildTets();

    static int[][] BuildTets()
    {
        int[][] perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        return perms.Select(p => new[] { 0, 1 << p[0], (1 << p[0]) | (1 << p[1]), 7 }).ToArray();
    }

    static (int, int)[][][] BuildCases()
    {
        var tets = BuildTets();
        var result = new (int, int)[6][][];
        for (int t = 0; t < 6; t++)
        {
            var c = tets[t];
            // Orientation of the tetrahedron (c0, c1, c2, c3) in lattice coordinates: det(c1 − c0, c2 − c0, c3 − c0).
            int tetSign = Math.Sign(Det(Corner(c[1]) - Corner(c[0]), Corner(c[2]) - Corner(c[0]), Corner(c[3]) - Corner(c[0])));
            result[t] = new (int, int)[16][];
            for (int m = 0; m < 16; m++)
            {
                var ins = Enumerable.Range(0, 4).Where(q => (m >> q & 1) != 0).ToArray();
                var outs = Enumerable.Range(0, 4).Where(q => (m >> q & 1) == 0).ToArray();
                (int, int) E(int p, int q) => (c[Math.Min(p, q)], c[Math.Max(p, q)]); // chain order: lower index ⊂ higher
                var list = new List<(int, int)>();
                if (ins.Length == 1 || ins.Length == 3)
                {
                    // a = the lone vertex; for a positively oriented (a, b, c, d) the triangle (ab, ac, ad) faces away from a.
                    int a = ins.Length == 1 ? ins[0] : outs[0];
                    var rest = ins.Length == 1 ? outs : ins;
                    int s = tetSign * Parity([a, rest[0], rest[1], rest[2]]);
                    bool awayFromA = ins.Length == 1; // lone inside vertex: normal away from it; lone outside: towards it
                    if ((s > 0) == awayFromA) list.AddRange([E(a, rest[0]), E(a, rest[1]), E(a, rest[2])]);
                    else list.AddRange([E(a, rest[0]), E(a, rest[2]), E(a, rest[1])]);
                }
                else if (ins.Length == 2)
                {
                    // quad ac, ad, bd, bc faces towards {c, d} (outside) when (a, b, c, d) is positively oriented.
                    int a = ins[0], b = ins[1], cc = outs[0], d = outs[1];
                    int s = tetSign * Parity([a, b, cc, d]);
                    if (s > 0) list.AddRange([E(a, cc), E(a, d), E(b, d), E(a, cc), E(b, d), E(b, cc)]);
                    else list.AddRange([E(a, cc), E(b, d), E(a, d), E(a, cc), E(b, cc), E(b, d)]);
                }
                result[t][m] = list.ToArray();
            }
        }
        return result;
    }

    static Vector3 Corner(int c) => new(c & 1, (c >> 1) & 1, (c >> 2) & 1);

    static float Det(Vector3 a, Vector3 b, Vector3 c) => Vector3.Dot(a, Vector3.Cross(b, c));

    static int Parity(int[] p)
    {
        int inv = 0;
        for (int i = 0; i < p.Length; i++)
            for (int j = i + 1; j < p.Length; j++)
                if (p[i] > p[j]) inv++;
        return inv % 2 == 0 ? 1 : -1;
    }
}
