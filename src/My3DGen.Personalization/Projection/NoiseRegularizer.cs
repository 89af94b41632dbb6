// The noise maps' regulariser and renormalisation (StyleGAN2 projector): Σ over a 2×2-average-pool pyramid of the squared
// mean one-pixel circular autocorrelation along x and y (down to the 8×8 level inclusive), and after each optimiser step
// every map is set to zero mean and unit RMS.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Personalization.Projection;

/// <summary>Regulariser and renormalisation of the optimised noise maps ([1,1,H,W] each).</summary>
public static class NoiseRegularizer
{
    /// <summary>reg = Σ_maps Σ_levels mean(n·roll_x(n,1))² + mean(n·roll_y(n,1))², pooling 2×2 after each level until H ≤ 8
    /// has been added. Differentiable w.r.t. the maps; returns a scalar tensor.</summary>
    public static Tensor Compute(IEnumerable<Tensor> maps)
    {
        Tensor? reg = null;
        foreach (var map in maps)
        {
            if (map.Rank != 4 || map.Shape[0] != 1 || map.Shape[1] != 1)
                throw new ArgumentException($"noise maps must be [1,1,H,W], got [{string.Join(",", map.Shape)}]", nameof(maps));
            var n = map;
            while (true)
            {
                var rx = (n * Roll(n, 3)).Mean().Square();
                var ry = (n * Roll(n, 2)).Mean().Square();
                var level = rx + ry;
                reg = reg == null ? level : reg + level;
                if (n.Shape[2] <= 8) break;
                n = Pooling.AvgPool2d(n, 2, 2);
            }
        }
        return reg ?? throw new ArgumentException("no noise maps", nameof(maps));
    }

    /// <summary>torch.roll(x, 1, axis): element j moves to j + 1, the last wraps to 0.</summary>
    static Tensor Roll(Tensor x, int axis)
    {
        int n = x.Shape[axis];
        return ShapeOps.Concat([x.Slice(axis, n - 1, 1), x.Slice(axis, 0, n - 1)], axis);
    }

    /// <summary>In place: n ← n − mean(n); n ← n / sqrt(mean(n²)) (statistics accumulated in double).</summary>
    public static void Renormalize(IEnumerable<Tensor> maps)
    {
        using var ng = GradMode.NoGrad();
        foreach (var map in maps)
        {
            var v = map.ToArray();
            double mean = 0;
            foreach (var x in v) mean += x;
            mean /= v.Length;
            var centred = new float[v.Length];
            for (int i = 0; i < v.Length; i++) centred[i] = (float)(v[i] - mean);
            double sq = 0;
            foreach (var x in centred) sq += (double)x * x;
            float inv = (float)(1.0 / Math.Sqrt(sq / v.Length));
            for (int i = 0; i < v.Length; i++) centred[i] *= inv;
            map.AssignFrom(centred);
        }
    }
}
