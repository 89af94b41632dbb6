// EG3D's in-the-wild crop (dataset_preprocessing/ffhq: Deep3DFaceRecon's align_img with target 1024 and rescale 300,
// then the 700 centre crop and a Lanczos resize to 512): fit scale and translation of the 5-point 3-D template to the
// five points (y flipped), turn them into one source rectangle of the photo, resample it to 512² with Lanczos-3.
using MathNet.Numerics.LinearAlgebra;
using My3DGen.Faces.Detection;
using My3DGen.Faces.Imaging;

namespace My3DGen.Faces.Alignment;

/// <summary>The crop of one photo: the square source rectangle (photo pixels) that becomes the 512² aligned image.</summary>
/// <param name="X0">Left edge in photo pixels.</param>
/// <param name="Y0">Top edge in photo pixels.</param>
/// <param name="Side">Side in photo pixels.</param>
/// <param name="Scale">align_img's scale s (resized pixels per photo pixel).</param>
public sealed record AlignedCrop(double X0, double Y0, double Side, double Scale)
{
    /// <summary>Output side in pixels (512).</summary>
    public const int OutputSize = 512;

    /// <summary>A photo point in the 512² crop's pixel coordinates.</summary>
    public Point2 ToCrop(Point2 p) => new((p.X - X0) / Side * OutputSize, (p.Y - Y0) / Side * OutputSize);
}

/// <summary>EG3D's in-the-wild alignment.</summary>
public static class Eg3dAlignment
{
    /// <summary>Deep3DFaceRecon's standard 5-point 3-D face (left eye, right eye, nose, left and right mouth corners; y up, z to the viewer).</summary>
    public static readonly double[,] Template3D =
    {
        { -0.31148657, 0.29036078, 0.13377953 }, { 0.30979887, 0.28972036, 0.13179526 }, { 0.0032535, -0.04617932, 0.55244243 },
        { -0.25216928, -0.38133916, 0.22405732 }, { 0.2484662, -0.38128236, 0.22235769 },
    };

    /// <summary>align_img's target size, rescale factor, then the centre crop and output size of crop_images_in_the_wild.py.</summary>
    public const double TargetSize = 1024, RescaleFactor = 300, CenterCrop = 700;

    /// <summary>The crop rectangle for <paramref name="points5"/> (photo pixels, EG3D order) in a <paramref name="width"/>×<paramref name="height"/> photo.</summary>
    public static AlignedCrop Crop(IReadOnlyList<Point2> points5, int width, int height)
    {
        if (points5.Count != 5) throw new ArgumentException("five points are needed", nameof(points5));
        // POS: least squares for b = A k with rows [X Y Z 1 0 0 0 0] (x) and [0 0 0 0 X Y Z 1] (y up = H − y: the flip in
        // continuous pixel-edge coordinates, so the crop scales with the photo).
        var a = Matrix<double>.Build.Dense(10, 8);
        var b = Vector<double>.Build.Dense(10);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++) { a[2 * i, j] = Template3D[i, j]; a[2 * i + 1, 4 + j] = Template3D[i, j]; }
            a[2 * i, 3] = 1; a[2 * i + 1, 7] = 1;
            b[2 * i] = points5[i].X; b[2 * i + 1] = height - points5[i].Y;
        }
        var k = a.Svd(true).Solve(b);
        double sPos = (Math.Sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]) + Math.Sqrt(k[4] * k[4] + k[5] * k[5] + k[6] * k[6])) / 2;
        double tx = k[3], ty = height - k[7], s = RescaleFactor / sPos;
        // resize_n_crop_img puts the 1024 window's corner 512 resized pixels before the template origin (tx, ty); the 700
        // centre crop starts 162 further in; back in photo pixels, divide by s. Without its integer truncations (resized size
        // and crop origin, up to 0.7 px at 512). EG3D feeds it pixel-index points (centres at integers) and flips y with
        // H − 1, so its crop sits (−0.5, +0.5) photo pixels from this one: a fixed offset in photo pixels, which a rescaled photo
        // would not share. Here everything is in continuous coordinates, and rescaling the photo rescales the crop exactly.
        double margin = (TargetSize - CenterCrop) / 2;
        double x0 = tx + (margin - TargetSize / 2) / s, y0 = ty + (margin - TargetSize / 2) / s;
        return new AlignedCrop(x0, y0, CenterCrop / s, s);
    }

    /// <summary>The aligned image, 512² unless <paramref name="size"/> says otherwise (a model trained at another resolution):
    /// the crop rectangle resampled with Lanczos-3 (black outside the photo).</summary>
    public static PlanarImage Apply(PlanarImage photo, AlignedCrop crop, int size = AlignedCrop.OutputSize) =>
        Resampler.ResizeRect(photo, crop.X0, crop.Y0, crop.Side, crop.Side, size, size, ResampleKernel.Lanczos3);
}
