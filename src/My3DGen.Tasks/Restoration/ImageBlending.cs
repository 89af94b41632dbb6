// Puts a generated image into a photo inside a region and nowhere else (the output is the photo bit for bit outside
// it): Poisson (seamless) cloning as OpenCV's NORMAL_CLONE that MyStyle uses — inside the region the output has the
// generated image's gradients and meets the photo at the region's border (Dirichlet), solved by preconditioned conjugate
// gradients on the region's pixels — or a feathered alpha blend whose weight falls from 1 in the hole to 0 over a margin.
namespace My3DGen.Tasks.Restoration;

/// <summary>How the inpainted render is put into the photo.</summary>
public enum BlendMode
{
    /// <summary>Poisson (seamless) blending in the dilated hole, as MyStyle (cv2.seamlessClone, NORMAL_CLONE). The default.</summary>
    Poisson,
    /// <summary>Alpha blend with weight 1 in the hole falling linearly to 0 across the dilation margin.</summary>
    Feather,
}

/// <summary>Blends images given as CHW floats [3·S·S] in [−1,1].</summary>
public static class ImageBlending
{
    /// <summary>CG stops when the residual is below this fraction of the right-hand side's norm.</summary>
    const double Tolerance = 1e-7;

    /// <summary>Solves, per channel, Δf = Δsource on the pixels of <paramref name="region"/> with f = photo on its outside
    /// neighbours (4-neighbourhood; image borders are free), then clamps to [−1,1]. Outside the region the result is
    /// <paramref name="photo"/> bit for bit. A region covering the whole image has no border: the source is returned clamped.</summary>
    /// <exception cref="ArgumentException">An image is not 3·S·S values for the region's side S.</exception>
    public static float[] Poisson(float[] photo, float[] source, HoleMask region)
    {
        int s = region.Side, plane = s * s;
        Check(photo, source, s);
        var output = (float[])photo.Clone();
        var index = new int[plane];
        var pixels = new List<int>();
        for (int p = 0; p < plane; p++)
        {
            index[p] = region.Hole[p] ? pixels.Count : -1;
            if (region.Hole[p]) pixels.Add(p);
        }
        int n = pixels.Count;
        if (n == 0) return output;
        if (n == plane)
        {
            for (int i = 0; i < source.Length; i++) output[i] = Math.Clamp(source[i], -1f, 1f);
            return output;
        }
        // Neighbours of every unknown: (unknown index, or −1 − pixel for a known photo pixel); count = the diagonal.
        var neighbours = new int[n, 4];
        var degree = new int[n];
        for (int k = 0; k < n; k++)
        {
            int p = pixels[k], x = p % s, y = p / s;
            foreach (var q in new[] { x > 0 ? p - 1 : -1, x < s - 1 ? p + 1 : -1, y > 0 ? p - s : -1, y < s - 1 ? p + s : -1 })
                if (q >= 0) neighbours[k, degree[k]++] = index[q] >= 0 ? index[q] : -1 - q;
        }
        var b = new double[n];
        var f = new double[n];
        for (int c = 0; c < 3; c++)
        {
            int off = c * plane;
            for (int k = 0; k < n; k++)
            {
                int p = pixels[k];
                double rhs = 0;
                for (int j = 0; j < degree[k]; j++)
                {
                    int m = neighbours[k, j], q = m >= 0 ? pixels[m] : -1 - m;
                    rhs += source[off + p] - source[off + q];          // the source's Laplacian (guidance field)
                    if (m < 0) rhs += photo[off + q];                   // the photo on the border
                }
                b[k] = rhs;
                f[k] = source[off + p];
            }
            SolveCg(neighbours, degree, b, f);
            for (int k = 0; k < n; k++) output[off + pixels[k]] = (float)Math.Clamp(f[k], -1.0, 1.0);
        }
        return output;
    }

    /// <summary>out = w·source + (1 − w)·photo with w = 1 in <paramref name="hole"/>, 1 − d/(r+1) at Chebyshev distance d ≤ r
    /// from it and 0 beyond, where the result is <paramref name="photo"/> bit for bit. r = 0 pastes the hole.</summary>
    /// <exception cref="ArgumentException">An image is not 3·S·S values for the hole's side S.</exception>
    public static float[] Feather(float[] photo, float[] source, HoleMask hole, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        int s = hole.Side, plane = s * s;
        Check(photo, source, s);
        var distance = ChebyshevDistance(hole);
        var output = (float[])photo.Clone();
        for (int p = 0; p < plane; p++)
        {
            if (distance[p] > radius) continue;
            float w = 1f - distance[p] / (radius + 1f);
            for (int c = 0; c < 3; c++) output[c * plane + p] = w * source[c * plane + p] + (1f - w) * photo[c * plane + p];
        }
        return output;
    }

    /// <summary>Chebyshev (8-neighbour) distance of every pixel to the nearest hole pixel (0 inside; int.MaxValue / 2 without a hole).</summary>
    internal static int[] ChebyshevDistance(HoleMask hole)
    {
        int s = hole.Side;
        const int far = int.MaxValue / 2;
        var d = new int[s * s];
        for (int p = 0; p < d.Length; p++) d[p] = hole.Hole[p] ? 0 : far;
        for (int y = 0; y < s; y++)          // forward pass: neighbours above and to the left
            for (int x = 0; x < s; x++)
            {
                int p = y * s + x, v = d[p];
                if (x > 0) v = Math.Min(v, d[p - 1] + 1);
                if (y > 0)
                {
                    v = Math.Min(v, d[p - s] + 1);
                    if (x > 0) v = Math.Min(v, d[p - s - 1] + 1);
                    if (x < s - 1) v = Math.Min(v, d[p - s + 1] + 1);
                }
                d[p] = v;
            }
        for (int y = s - 1; y >= 0; y--)     // backward pass: below and to the right
            for (int x = s - 1; x >= 0; x--)
            {
                int p = y * s + x, v = d[p];
                if (x < s - 1) v = Math.Min(v, d[p + 1] + 1);
                if (y < s - 1)
                {
                    v = Math.Min(v, d[p + s] + 1);
                    if (x < s - 1) v = Math.Min(v, d[p + s + 1] + 1);
                    if (x > 0) v = Math.Min(v, d[p + s - 1] + 1);
                }
                d[p] = v;
            }
        return d;
    }

    /// <summary>Jacobi-preconditioned CG on A f = b with A = diag(degree) − adjacency among the unknowns (SPD: every component
    /// of the region touches the photo). <paramref name="f"/> holds the start and receives the solution.</summary>
    static void SolveCg(int[,] neighbours, int[] degree, double[] b, double[] f)
    {
        int n = b.Length;
        var r = new double[n];
        var z = new double[n];
        var dir = new double[n];
        var ad = new double[n];
        Multiply(neighbours, degree, f, ad);
        double bNorm = 0;
        for (int k = 0; k < n; k++) { r[k] = b[k] - ad[k]; z[k] = r[k] / degree[k]; dir[k] = z[k]; bNorm += b[k] * b[k]; }
        double rz = Dot(r, z), limit = Tolerance * Tolerance * Math.Max(bNorm, 1e-30);
        for (int it = 0; it < 10 * n && Dot(r, r) > limit; it++)
        {
            Multiply(neighbours, degree, dir, ad);
            double step = rz / Dot(dir, ad);
            for (int k = 0; k < n; k++) { f[k] += step * dir[k]; r[k] -= step * ad[k]; z[k] = r[k] / degree[k]; }
            double next = Dot(r, z);
            for (int k = 0; k < n; k++) dir[k] = z[k] + next / rz * dir[k];
            rz = next;
        }
    }

    static void Multiply(int[,] neighbours, int[] degree, double[] v, double[] result)
    {
        for (int k = 0; k < v.Length; k++)
        {
            double acc = degree[k] * v[k];
            for (int j = 0; j < degree[k]; j++)
                if (neighbours[k, j] >= 0) acc -= v[neighbours[k, j]];
            result[k] = acc;
        }
    }

    static double Dot(double[] a, double[] b)
    {
        double acc = 0;
        for (int k = 0; k < a.Length; k++) acc += a[k] * b[k];
        return acc;
    }

    static void Check(float[] photo, float[] source, int side)
    {
        if (photo.Length != 3 * side * side || source.Length != 3 * side * side)
            throw new ArgumentException($"images must be 3x{side}x{side} like the mask, got {photo.Length} and {source.Length} values");
    }
}
