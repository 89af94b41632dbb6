// Samples the raw density σ of a generator's tri-planes on a regular R³ grid over the cube of side box_warp centred at
// the origin (EG3D gen_samples' shape extraction); the grid can be thresholded (EG3D suggests σ ≈ 10) or meshed.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Rendering;

/// <summary>Density sampling of tri-planes on a regular grid (for shapes and meshes).</summary>
public static class DensityGrid
{
    /// <summary>σ [R·R·R] for planes [1,3,32,H,W]; element (i, j, k) = σ at (x_k, y_j, z_i), coordinates −b/2 + (index + 0.5)·b/R.</summary>
    public static float[] Sample(Eg3dGenerator g, Tensor planes, int resolution, int pointsPerChunk = 1 << 17)
    {
        if (resolution < 2) throw new ArgumentException("resolution must be ≥ 2", nameof(resolution));
        if (planes.Shape[0] != 1) throw new ArgumentException("planes must hold one sample [1,3,32,H,W]", nameof(planes));
        float box = g.Config.Rendering.BoxWarp;
        long total = (long)resolution * resolution * resolution;
        var sigma = new float[total];
        using var _ = GradMode.NoGrad();
        for (long start = 0; start < total; start += pointsPerChunk)
        {
            int count = (int)Math.Min(pointsPerChunk, total - start);
            var pts = new float[count * 3];
            for (int q = 0; q < count; q++)
            {
                long idx = start + q;
                int k = (int)(idx % resolution), j = (int)(idx / resolution % resolution), i = (int)(idx / ((long)resolution * resolution));
                pts[q * 3] = -box / 2 + (k + 0.5f) * box / resolution;
                pts[q * 3 + 1] = -box / 2 + (j + 0.5f) * box / resolution;
                pts[q * 3 + 2] = -box / 2 + (i + 0.5f) * box / resolution;
            }
            using var scope = TensorScope.Begin();
            g.SamplePoints(planes, pts).Sigma.ToArray().CopyTo(sigma, start);
        }
        return sigma;
    }
}
