// EG3D's RaySampler on the host: one ray per pixel of an R×R image (ray m = row·R + col) from the 25-float
// camera label, with origin = camera centre and unit direction through the pixel centre (spec §5.1).
namespace My3DGen.Models.Rendering;

/// <summary>Ray origins and directions, each [N, M, 3] row-major on the host.</summary>
internal sealed record RayBundle(int Batch, int Rays, float[] Origins, float[] Directions);

internal static class RaySampler
{
    /// <summary>Rays of <paramref name="batch"/> cameras (labels [N·25], validated by the caller) at resolution R.</summary>
    public static RayBundle Sample(float[] labels, int batch, int resolution)
    {
        int m = resolution * resolution;
        var o = new float[batch * m * 3];
        var d = new float[batch * m * 3];
        Parallel.For(0, batch * resolution, nr =>
        {
            int n = nr / resolution, i = nr % resolution;
            var c = labels.AsSpan(n * 25, 25);
            float fx = c[16], sk = c[17], cx = c[18], fy = c[20], cy = c[21];
            float v = i * (1f / resolution) + 0.5f / resolution;
            Span<float> dir = stackalloc float[3];
            for (int j = 0; j < resolution; j++)
            {
                float u = j * (1f / resolution) + 0.5f / resolution;
                float xl = (u - cx + cy * sk / fy - sk * v / fy) / fx;
                float yl = (v - cy) / fy;
                int at = (n * m + i * resolution + j) * 3;
                double nrm2 = 0;
                for (int r = 0; r < 3; r++)
                {
                    float world = c[r * 4] * xl + c[r * 4 + 1] * yl + c[r * 4 + 2] + c[r * 4 + 3];
                    dir[r] = world - c[r * 4 + 3];
                    nrm2 += (double)dir[r] * dir[r];
                }
                float inv = (float)(1.0 / Math.Max(Math.Sqrt(nrm2), 1e-12));
                for (int r = 0; r < 3; r++) { d[at + r] = dir[r] * inv; o[at + r] = c[r * 4 + 3]; }
            }
        });
        return new RayBundle(batch, m, o, d);
    }
}
