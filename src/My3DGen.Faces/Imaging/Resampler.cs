// Resampling for the face pipeline: an axis-aligned source rectangle to an output size with an antialiased separable
// kernel (Lanczos-3 for EG3D's aligned crop, triangle for model inputs), and an affine (rotated) crop with
// supersampled bilinear taps for FaceMesh. Pixels outside the photo read as black, as PIL's crop pads.
namespace My3DGen.Faces.Imaging;

/// <summary>The resampling filters.</summary>
public enum ResampleKernel
{
    /// <summary>Triangle (bilinear), support 1.</summary>
    Triangle,
    /// <summary>Lanczos, a = 3.</summary>
    Lanczos3,
}

/// <summary>Crops and resizes <see cref="PlanarImage"/>s.</summary>
public static class Resampler
{
    /// <summary>The rectangle [x0, x0+w) × [y0, y0+h) of <paramref name="src"/> (continuous pixel-edge coordinates)
    /// resampled to <paramref name="outW"/>×<paramref name="outH"/>; the kernel widens by the scale when shrinking (PIL style).</summary>
    public static PlanarImage ResizeRect(PlanarImage src, double x0, double y0, double w, double h, int outW, int outH, ResampleKernel kernel)
    {
        var (xi, xw) = Weights(x0, w, outW, src.Width, kernel);
        var (yi, yw) = Weights(y0, h, outH, src.Height, kernel);
        // Horizontal pass over the rows the vertical pass needs.
        int rowMin = yi.Min(a => a.Length == 0 ? int.MaxValue : a[0]), rowMax = yi.Max(a => a.Length == 0 ? int.MinValue : a[^1]);
        if (rowMin > rowMax) return new PlanarImage(outW, outH);
        int rows = rowMax - rowMin + 1;
        var tmp = new float[rows * outW * 3];
        Parallel.For(0, rows, r =>
        {
            int sy = rowMin + r;
            for (int ox = 0; ox < outW; ox++)
            {
                float a = 0, b = 0, c = 0;
                var idx = xi[ox]; var wt = xw[ox];
                for (int k = 0; k < idx.Length; k++)
                {
                    int s = (sy * src.Width + idx[k]) * 3;
                    a += wt[k] * src.Data[s]; b += wt[k] * src.Data[s + 1]; c += wt[k] * src.Data[s + 2];
                }
                int t = (r * outW + ox) * 3;
                tmp[t] = a; tmp[t + 1] = b; tmp[t + 2] = c;
            }
        });
        var dst = new PlanarImage(outW, outH);
        Parallel.For(0, outH, oy =>
        {
            var idx = yi[oy]; var wt = yw[oy];
            for (int ox = 0; ox < outW; ox++)
            {
                float a = 0, b = 0, c = 0;
                for (int k = 0; k < idx.Length; k++)
                {
                    int s = ((idx[k] - rowMin) * outW + ox) * 3;
                    a += wt[k] * tmp[s]; b += wt[k] * tmp[s + 1]; c += wt[k] * tmp[s + 2];
                }
                int d = (oy * outW + ox) * 3;
                dst.Data[d] = a; dst.Data[d + 1] = b; dst.Data[d + 2] = c;
            }
        });
        return dst;
    }

    /// <summary>Per output pixel: the in-image source indices and their weights (normalised over all taps, so taps that fall
    /// outside the image contribute black).</summary>
    static (int[][] Index, float[][] Weight) Weights(double start, double length, int outSize, int srcSize, ResampleKernel kernel)
    {
        double scale = length / outSize, support = kernel == ResampleKernel.Lanczos3 ? 3 : 1;
        double filterScale = Math.Max(scale, 1), radius = support * filterScale;
        var index = new int[outSize][]; var weight = new float[outSize][];
        for (int o = 0; o < outSize; o++)
        {
            double centre = start + (o + 0.5) * scale;
            int lo = (int)Math.Floor(centre - radius), hi = (int)Math.Ceiling(centre + radius);
            var ids = new List<int>(); var ws = new List<double>();
            double total = 0;
            for (int s = lo; s <= hi; s++)
            {
                double t = (s + 0.5 - centre) / filterScale;
                double v = kernel == ResampleKernel.Lanczos3 ? Lanczos(t) : Math.Max(0, 1 - Math.Abs(t));
                if (v == 0) continue;
                total += v;
                if (s < 0 || s >= srcSize) continue;
                ids.Add(s); ws.Add(v);
            }
            index[o] = ids.ToArray();
            weight[o] = ws.Select(v => (float)(total != 0 ? v / total : 0)).ToArray();
        }
        return (index, weight);
    }

    static double Lanczos(double t)
    {
        if (t == 0) return 1;
        if (Math.Abs(t) >= 3) return 0;
        double p = Math.PI * t;
        return 3 * Math.Sin(p) * Math.Sin(p / 3) / (p * p);
    }

    /// <summary>A square crop of side <paramref name="side"/> source pixels centred on (<paramref name="cx"/>, <paramref name="cy"/>),
    /// rotated by <paramref name="angle"/> radians (the crop's x axis is the source direction (cos, sin)), sampled to
    /// <paramref name="size"/>² with k×k bilinear taps per pixel, k = ceil(side/size).</summary>
    public static PlanarImage RotatedCrop(PlanarImage src, double cx, double cy, double side, double angle, int size)
    {
        var dst = new PlanarImage(size, size);
        double step = side / size, cos = Math.Cos(angle), sin = Math.Sin(angle);
        int k = Math.Max(1, (int)Math.Ceiling(step));
        Parallel.For(0, size, v =>
        {
            Span<float> rgb = stackalloc float[3];
            for (int u = 0; u < size; u++)
            {
                float a = 0, b = 0, c = 0;
                for (int sy = 0; sy < k; sy++)
                    for (int sx = 0; sx < k; sx++)
                    {
                        double lx = (u + (sx + 0.5) / k) * step - side / 2, ly = (v + (sy + 0.5) / k) * step - side / 2;
                        src.SampleBilinear(cx + lx * cos - ly * sin, cy + lx * sin + ly * cos, rgb);
                        a += rgb[0]; b += rgb[1]; c += rgb[2];
                    }
                int d = (v * size + u) * 3;
                float n = 1f / (k * k);
                dst.Data[d] = a * n; dst.Data[d + 1] = b * n; dst.Data[d + 2] = c * n;
            }
        });
        return dst;
    }
}
