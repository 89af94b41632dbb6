// Writes a TriangleMesh as binary little-endian PLY (vertex: float x, y, z; face: list uchar int vertex_indices), the
// format MeshLab, Blender and trimesh read; written atomically so a crash never leaves a truncated mesh behind.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using My3DGen.Engine.IO;

namespace My3DGen.Models.Geometry;

/// <summary>Binary little-endian PLY output for triangle meshes.</summary>
public static class PlyWriter
{
    /// <summary>Writes <paramref name="mesh"/> to <paramref name="path"/> (temp file + rename).</summary>
    /// <param name="mesh">the mesh to write.</param>
    /// <param name="path">output file.</param>
    /// <param name="comment">optional single-line comment stored in the header.</param>
    public static void Write(string path, TriangleMesh mesh, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        AtomicFile.Write(path, s => Write(s, mesh, comment));
    }

    /// <summary>Writes <paramref name="mesh"/> as binary little-endian PLY to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, TriangleMesh mesh, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(mesh);
        if (mesh.Vertices.Length % 3 != 0 || mesh.Triangles.Length % 3 != 0)
            throw new ArgumentException("mesh arrays must hold whole xyz triples and index triples", nameof(mesh));
        var header = new StringBuilder();
        header.Append("ply\nformat binary_little_endian 1.0\n");
        if (!string.IsNullOrEmpty(comment)) header.Append("comment ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        header.Append($"element vertex {mesh.VertexCount}\nproperty float x\nproperty float y\nproperty float z\n");
        header.Append($"element face {mesh.TriangleCount}\nproperty list uchar int vertex_indices\nend_header\n");
        stream.Write(Encoding.ASCII.GetBytes(header.ToString()));

        const int chunk = 1 << 14;
        var buf = new byte[chunk * 13];
        for (int start = 0; start < mesh.Vertices.Length; start += chunk * 3)
        {
            var part = mesh.Vertices.AsSpan(start, Math.Min(chunk * 3, mesh.Vertices.Length - start));
            if (BitConverter.IsLittleEndian) stream.Write(MemoryMarshal.AsBytes(part));
            else
            {
                for (int q = 0; q < part.Length; q++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(q * 4), part[q]);
                stream.Write(buf, 0, part.Length * 4);
            }
        }
        int faces = mesh.TriangleCount;
        for (int start = 0; start < faces; start += chunk)
        {
            int n = Math.Min(chunk, faces - start);
            for (int f = 0; f < n; f++)
            {
                var o = buf.AsSpan(f * 13);
                o[0] = 3;
                for (int c = 0; c < 3; c++) BinaryPrimitives.WriteInt32LittleEndian(o[(1 + 4 * c)..], mesh.Triangles[(start + f) * 3 + c]);
            }
            stream.Write(buf, 0, n * 13);
        }
    }
}
