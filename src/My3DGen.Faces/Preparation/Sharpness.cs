// Blur measure of an aligned crop (the preparer passes it at 128², about the face's native size in small photos):
// variance of the 4-neighbour Laplacian of the grey image over the central half (the face), on 0..255 values.
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Preparation;

/// <summary>Focus measure of the aligned face.</summary>
public static class Sharpness
{
    /// <summary>Variance of the Laplacian over the central half of <paramref name="image"/>.</summary>
    public static double LaplacianVariance(PlanarImage image)
    {
        int w = image.Width, h = image.Height;
        var grey = new double[w * h];
        for (int i = 0; i < grey.Length; i++) grey[i] = 0.299 * image.Data[3 * i] + 0.587 * image.Data[3 * i + 1] + 0.114 * image.Data[3 * i + 2];
        double sum = 0, sum2 = 0; int n = 0;
        for (int y = h / 4; y < 3 * h / 4; y++)
            for (int x = w / 4; x < 3 * w / 4; x++)
            {
                double l = grey[(y - 1) * w + x] + grey[(y + 1) * w + x] + grey[y * w + x - 1] + grey[y * w + x + 1] - 4 * grey[y * w + x];
                sum += l; sum2 += l * l; n++;
            }
        double mean = sum / n;
        return sum2 / n - mean * mean;
    }
}
