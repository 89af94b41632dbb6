// PSNR and SSIM of two RGB images of equal size, in double on the CPU. PSNR on the uint8 pixels (20·log10(255/√MSE),
// as the My3DGen evaluation computes it); SSIM as scikit-image's structural_similarity(gaussian_weights=True,
// sigma=1.5, use_sample_covariance=False, data_range=1) on [0,1] per channel, averaged over channels.
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Metrics;

/// <summary>Pixel-level reconstruction metrics.</summary>
public static class ImageQuality
{
    /// <summary>PSNR in dB over all pixels and channels; +∞ for identical images.</summary>
    public static double Psnr(RgbImage a, RgbImage b)
    {
        CheckSizes(a, b);
        double sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++) { double d = a.Pixels[i] - b.Pixels[i]; sum += d * d; }
        double mse = sum / a.Pixels.Length;
        return mse == 0 ? double.PositiveInfinity : 20 * Math.Log10(255.0 / Math.Sqrt(mse));
    }

    /// <summary>Mean SSIM: an 11×11 Gaussian window (σ 1.5, weights normalised over the window), C1 = 0.01², C2 = 0.03²,
    /// population (co)variances, averaged over the positions whose window lies inside the image (scikit-image crops 5
    /// pixels of its reflect-padded map; pytorch-msssim's valid convolution is the same) and over the 3 channels.
    /// Images need at least 11×11 pixels.</summary>
    public static double Ssim(RgbImage a, RgbImage b)
    {
        CheckSizes(a, b);
        const int r = 5;
        if (a.Width < 2 * r + 1 || a.Height < 2 * r + 1) throw new ArgumentException($"SSIM needs images of at least 11x11 pixels, got {a.Width}x{a.Height}");
        var g = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) g[i + r] = Math.Exp(-i * i / (2 * 1.5 * 1.5));
        double gs = g.Sum();
        for (int i = 0; i < g.Length; i++) g[i] /= gs;
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        int w = a.Width, h = a.Height, ow = w - 2 * r, oh = h - 2 * r;
        var perChannel = new double[3];
        Parallel.For(0, 3, c =>
        {
            var x = Channel(a, c); var y = Channel(b, c);
            var mx = Filter(x, w, h, g); var my = Filter(y, w, h, g);
            var xx = Filter(Product(x, x), w, h, g); var yy = Filter(Product(y, y), w, h, g); var xy = Filter(Product(x, y), w, h, g);
            double s = 0;
            for (int i = 0; i < mx.Length; i++)
            {
                double ux = mx[i], uy = my[i];
                double vx = xx[i] - ux * ux, vy = yy[i] - uy * uy, vxy = xy[i] - ux * uy;
                s += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
            perChannel[c] = s / ((double)ow * oh);
        });
        return (perChannel[0] + perChannel[1] + perChannel[2]) / 3;
    }

    static double[] Channel(RgbImage img, int c)
    {
        var v = new double[img.Width * img.Height];
        for (int i = 0; i < v.Length; i++) v[i] = img.Pixels[i * 3 + c] / 255.0;
        return v;
    }

    static double[] Product(double[] a, double[] b) { var p = new double[a.Length]; for (int i = 0; i < a.Length; i++) p[i] = a[i] * b[i]; return p; }

    /// <summary>Separable Gaussian filter, 'valid' positions only: [(h−10)·(w−10)].</summary>
    static double[] Filter(double[] x, int w, int h, double[] g)
    {
        int k = g.Length, ow = w - k + 1, oh = h - k + 1;
        var t = new double[h * ow];
        for (int yy = 0; yy < h; yy++)
            for (int xx = 0; xx < ow; xx++)
            {
                double s = 0;
                for (int j = 0; j < k; j++) s += g[j] * x[yy * w + xx + j];
                t[yy * ow + xx] = s;
            }
        var o = new double[oh * ow];
        for (int yy = 0; yy < oh; yy++)
            for (int xx = 0; xx < ow; xx++)
            {
                double s = 0;
                for (int j = 0; j < k; j++) s += g[j] * t[(yy + j) * ow + xx];
                o[yy * ow + xx] = s;
            }
        return o;
    }

    static void CheckSizes(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height) throw new ArgumentException($"images differ in size: {a.Width}x{a.Height} vs {b.Width}x{b.Height}");
    }
}
