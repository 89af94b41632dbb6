// Tri-plane feature lookup (EG3D sample_from_planes): points are scaled by 2/box_warp, projected onto the planes
// (xy, xz and EG3D's "zx" quirk, spec §5.3) and bilinearly sampled like grid_sample(align_corners=False, zeros).
// Composed as IndexSelect over the channel-last flattened planes with host-computed corner indices and weights,
// contracted with a batched MatMul, so the result is differentiable with respect to the planes.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Rendering;

/// <summary>Planes flattened for gathering: rows (n, plane, y, x), 32 channels each.</summary>
internal sealed record FlatPlanes(Tensor Rows, int Batch, int Height, int Width, int Channels)
{
    /// <summary>planes [N, 3, C, H, W] → rows [N·3·H·W, C] (one copy).</summary>
    public static FlatPlanes From(Tensor planes)
    {
        if (planes.Rank != 5 || planes.Shape[1] != 3)
            throw new ArgumentException($"planes must be [N,3,C,H,W], got [{string.Join(",", planes.Shape)}]", nameof(planes));
        int n = planes.Shape[0], c = planes.Shape[2], h = planes.Shape[3], w = planes.Shape[4];
        var rows = planes.Permute(0, 1, 3, 4, 2).Reshape(n * 3 * h * w, c);
        return new FlatPlanes(rows, n, h, w, c);
    }
}

internal static class TriplaneSampler
{
    /// <summary>Gather rows and bilinear weights of P points, ordered [n, point, plane, corner] (12 per point).
    /// Out-of-range corners point at a valid row with weight 0 (grid_sample's zero padding).</summary>
    sealed record Corners(int Batch, int Points, int[] Rows, float[] Weights);

    /// <summary>Mean over the three planes of the bilinear features: [N, P, C] for points <paramref name="coords"/> [N·P·3] (world units).
    /// This is the decoder's input (EG3D averages the planes first).</summary>
    public static Tensor SampleMean(FlatPlanes planes, float[] coords, int points, float boxWarp)
    {
        var k = Locate(planes, coords, points, boxWarp, 1f / 3f);
        return Contract(planes, k, k.Weights, k.Batch * points, 12).Reshape(k.Batch, points, planes.Channels);
    }

    /// <summary>Per-plane bilinear features [N, 3, P, C] (EG3D's sample_from_planes output, before the mean).</summary>
    public static Tensor SamplePerPlane(FlatPlanes planes, float[] coords, int points, float boxWarp)
    {
        var k = Locate(planes, coords, points, boxWarp, 1f);
        var f = Contract(planes, k, k.Weights, k.Batch * points * 3, 4);
        return f.Reshape(k.Batch, points, 3, planes.Channels).Permute(0, 2, 1, 3).Contiguous();
    }

    /// <summary>Gathers the rows and contracts each group of <paramref name="group"/> rows with its weights:
    /// [groups, 1, group] @ [groups, group, C] → [groups, C].</summary>
    static Tensor Contract(FlatPlanes planes, Corners k, float[] weights, int groups, int group)
    {
        var be = planes.Rows.Backend;
        var gathered = Indexing.IndexSelect(planes.Rows, 0, Tensor.FromInts(be, k.Rows, k.Rows.Length));
        var w = Tensor.FromArray(be, weights, groups, 1, group);
        return w.MatMul(gathered.Reshape(groups, group, planes.Channels)).Reshape(groups, planes.Channels);
    }

    /// <summary>Finds, for each point, the four bilinear corners on each plane and their weights.</summary>
    /// <param name="planes">The tri-planes, flattened to rows.</param>
    /// <param name="coords">Point coordinates, xyz per point.</param>
    /// <param name="points">Number of points.</param>
    /// <param name="boxWarp">Side of the box the planes span.</param>
    /// <param name="scaleWeights">Factor applied to every bilinear weight (1/3 folds the plane mean into the contraction).</param>
    static Corners Locate(FlatPlanes planes, float[] coords, int points, float boxWarp, float scaleWeights)
    {
        int n = planes.Batch, h = planes.Height, w = planes.Width;
        if (coords.Length != n * points * 3) throw new ArgumentException($"coords: expected {n}·{points}·3 values, got {coords.Length}");
        long count = (long)n * points * 12;
        if (count > int.MaxValue) throw new ArgumentException("too many sample points for one gather; render in smaller chunks");
        var idx = new int[count];
        var wts = new float[count];
        float scale = 2f / boxWarp;
        const int Block = 4096;
        Parallel.For(0, (n * points + Block - 1) / Block, blk =>
        {
            int end = Math.Min(n * points, (blk + 1) * Block);
            for (int np = blk * Block; np < end; np++)
            {
                int at = np * 3;
                float qx = scale * coords[at], qy = scale * coords[at + 1], qz = scale * coords[at + 2];
                int planeBase = np / points * 3 * h * w;
                int o = np * 12;
                Bilinear(qx, qy, w, h, planeBase, scaleWeights, idx, wts, o);                 // plane 0: (x, y)
                Bilinear(qx, qz, w, h, planeBase + h * w, scaleWeights, idx, wts, o + 4);     // plane 1: (x, z)
                Bilinear(qz, qx, w, h, planeBase + 2 * h * w, scaleWeights, idx, wts, o + 8); // plane 2: (z, x), EG3D's quirk
            }
        });
        return new Corners(n, points, idx, wts);
    }

    /// <summary>grid_sample(align_corners=False, zeros) corners of (u, v) on one W×H plane whose rows start at <paramref name="baseRow"/>:
    /// (x0,y0), (x0+1,y0), (x0,y0+1), (x0+1,y0+1) written at <paramref name="o"/>..o+3.</summary>
    static void Bilinear(float u, float v, int w, int h, int baseRow, float scale, int[] idx, float[] wts, int o)
    {
        float ix = ((u + 1f) * w - 1f) / 2f, iy = ((v + 1f) * h - 1f) / 2f;
        float fx0 = MathF.Floor(ix), fy0 = MathF.Floor(iy);
        int x0 = (int)Math.Clamp(fx0, -2f, w + 1f), y0 = (int)Math.Clamp(fy0, -2f, h + 1f);
        float wx1 = ix - fx0, wx0 = fx0 + 1f - ix, wy1 = iy - fy0, wy0 = fy0 + 1f - iy;
        Corner(x0, y0, wx0 * wy0, o);
        Corner(x0 + 1, y0, wx1 * wy0, o + 1);
        Corner(x0, y0 + 1, wx0 * wy1, o + 2);
        Corner(x0 + 1, y0 + 1, wx1 * wy1, o + 3);

        void Corner(int x, int y, float weight, int q)
        {
            bool inside = x >= 0 && x < w && y >= 0 && y < h && float.IsFinite(weight);
            idx[q] = inside ? baseRow + y * w + x : baseRow;
            wts[q] = inside ? weight * scale : 0f;
        }
    }

    /// <summary>Sample points o + t·d [N·P·3] for depths [N, M, K] (host) along rays (rays.Rays = M... restricted to the ray range).</summary>
    public static float[] Points(RayBundle rays, int rayStart, int rayCount, float[] depths, int k)
    {
        int n = rays.Batch;
        var pts = new float[n * rayCount * k * 3];
        Parallel.For(0, n * rayCount, nr =>
        {
            int b = nr / rayCount, r = nr % rayCount;
            int ray = (b * rays.Rays + rayStart + r) * 3;
            for (int s = 0; s < k; s++)
            {
                float t = depths[nr * k + s];
                int at = (nr * k + s) * 3;
                for (int a = 0; a < 3; a++) pts[at + a] = rays.Origins[ray + a] + t * rays.Directions[ray + a];
            }
        });
        return pts;
    }
}
