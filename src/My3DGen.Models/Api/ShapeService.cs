// Shape extraction of one latent (EG3D's gen_samples shape step): sample the raw density σ on an R³ grid over the
// bounding cube and write either the σ = level iso-surface as a binary PLY mesh in world coordinates or the grid as a
// float32 .npy [R,R,R] indexed [z,y,x]. Outputs are written atomically; a level outside σ's range is a user error.
using System.Numerics;
using My3DGen.Engine;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.IO;
using My3DGen.Models.Geometry;
using My3DGen.Models.Rendering;

namespace My3DGen.Models.Api;

/// <summary>The σ grid holds no crossing of the requested level: names the level and the range that would work.</summary>
public sealed class NoSurfaceException(float level, int resolution, float min, float max)
    : UserInputException($"no surface at level {level:G}: σ on the {resolution}³ grid ranges over [{min:F2}, {max:F2}]; pick a level inside that range");

/// <summary>What a shape extraction wrote: the path, the kind (mesh or grid), mesh size and the σ range.</summary>
public sealed record ShapeResult(string Path, bool IsMesh, int Resolution, int Vertices, int Triangles, float SigmaMin, float SigmaMax);

/// <summary>Extracts the shape of a generated head.</summary>
public static class ShapeService
{
    /// <summary>Default iso level on the raw σ: the threshold EG3D's shape extraction uses.</summary>
    public const float DefaultLevel = 10f;

    /// <summary>Samples σ of <paramref name="latent"/> on a <paramref name="resolution"/>³ grid and writes <paramref name="outputPath"/>:
    /// a .ply mesh of the σ = <paramref name="level"/> surface, or the .npy grid.</summary>
    /// <exception cref="NoSurfaceException">No σ crosses <paramref name="level"/> (nothing is written).</exception>
    /// <exception cref="OutputFileException">The output cannot be written.</exception>
    public static ShapeResult Extract(Eg3dGenerator generator, RenderLatent latent, int resolution, float level, string outputPath,
        CancellationToken cancel = default)
    {
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), "resolution must be ≥ 2");
        bool mesh = Path.GetExtension(outputPath).Equals(".ply", StringComparison.OrdinalIgnoreCase);
        OutputPaths.PrepareFile(outputPath);
        using var _ = GradMode.NoGrad();
        var sigma = DensityGrid.Sample(generator, generator.SynthesizePlanes(latent.Ws()), resolution);
        cancel.ThrowIfCancellationRequested();
        float lo = sigma.Min(), hi = sigma.Max();
        if (!mesh)
        {
            OutputFileException.Guard(outputPath, () => NpyFile.Write(outputPath, [resolution, resolution, resolution], sigma));
            return new ShapeResult(outputPath, false, resolution, 0, 0, lo, hi);
        }
        // DensityGrid samples cell centres of the cube [−b/2, b/2]³ (b = box_warp); the mesh is capped on the cube's faces.
        float half = generator.Config.Rendering.BoxWarp / 2;
        var m = MarchingCubes.Extract(sigma, resolution, level, new Vector3(-half), new Vector3(half));
        if (m.TriangleCount == 0) throw new NoSurfaceException(level, resolution, lo, hi);
        OutputFileException.Guard(outputPath, () =>
            PlyWriter.Write(outputPath, m, $"my3dgen shape: sigma = {level:G} iso-surface, {resolution}^3 grid over [-{half:G}, {half:G}]^3"));
        return new ShapeResult(outputPath, true, resolution, m.VertexCount, m.TriangleCount, lo, hi);
    }
}
