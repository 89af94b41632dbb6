// The inpainting hole: a square boolean map (true = a pixel to fill), from a mask PNG (white = hole, black = known,
// thresholded at mid-grey) or a centred box; plus the dilation used before blending and the hole's bounding box.
using My3DGen.Personalization.Data;

namespace My3DGen.Tasks.Restoration;

/// <summary>A hole mask of <see cref="Side"/>² pixels, row-major; true marks a hidden pixel.</summary>
public sealed class HoleMask
{
    /// <summary>Side of the (square) mask in pixels.</summary>
    public int Side { get; }
    /// <summary>Side·Side flags, row-major: true = hole (unknown, to be filled).</summary>
    public IReadOnlyList<bool> Hole => _hole;
    readonly bool[] _hole;

    /// <summary>A mask from row-major flags (true = hole).</summary>
    /// <exception cref="ArgumentException">The flags are not side² values.</exception>
    public HoleMask(int side, bool[] hole)
    {
        if (side < 1 || hole.Length != side * side) throw new ArgumentException($"a {side}x{side} mask needs {side * side} flags, got {hole.Length}", nameof(hole));
        Side = side; _hole = (bool[])hole.Clone();
    }

    /// <summary>Number of hole pixels.</summary>
    public int HoleCount => _hole.Count(h => h);
    /// <summary>Fraction of the image in the hole.</summary>
    public double HoleFraction => (double)HoleCount / _hole.Length;

    /// <summary>Whether pixel (x, y) is in the hole.</summary>
    public bool this[int x, int y] => _hole[y * Side + x];

    /// <summary>A centred square hole whose side is <paramref name="fraction"/> of the image side (at least one pixel).</summary>
    /// <exception cref="ArgumentOutOfRangeException">fraction is not in (0, 1).</exception>
    public static HoleMask CentredBox(int side, double fraction)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the box is a fraction of the side in (0, 1)");
        int box = Math.Max(1, (int)Math.Round(side * fraction)), start = (side - box) / 2;
        var hole = new bool[side * side];
        for (int y = start; y < start + box; y++)
            for (int x = start; x < start + box; x++) hole[y * side + x] = true;
        return new HoleMask(side, hole);
    }

    /// <summary>Reads a mask PNG/JPEG: white (mean RGB ≥ mid-grey) = hole, black = known. It must be <paramref name="side"/>² and
    /// hide some but not all pixels.</summary>
    /// <exception cref="DatasetException">The file is missing or unreadable.</exception>
    /// <exception cref="TaskInputException">Wrong size, no hole, or everything hidden.</exception>
    public static HoleMask Read(string path, int side)
    {
        var (rgb, w, h) = PersonDataset.ReadAnySize(path);
        if (w != side || h != side)
            throw new TaskInputException(path, $"mask is {w}x{h}; it must be {side}x{side} like the photo (white = hole, black = known)");
        int plane = side * side;
        var hole = new bool[plane];
        for (int i = 0; i < plane; i++) hole[i] = rgb[i] + rgb[plane + i] + rgb[2 * plane + i] >= 0;
        var mask = new HoleMask(side, hole);
        if (mask.HoleCount == 0) throw new TaskInputException(path, "mask has no white pixel: nothing to inpaint (white = hole, black = known)");
        if (mask.HoleCount == plane) throw new TaskInputException(path, "mask is white everywhere: no known pixel to inpaint from (white = hole, black = known)");
        return mask;
    }

    /// <summary>The hole grown by <paramref name="radius"/> pixels in every direction (a (2r+1)² square kernel; 0 = unchanged).</summary>
    public HoleMask Dilate(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        if (radius == 0) return this;
        int s = Side;
        var rows = new bool[s * s];   // separable: along x, then along y
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++)
            {
                bool any = false;
                for (int dx = Math.Max(0, x - radius); dx <= Math.Min(s - 1, x + radius) && !any; dx++) any = _hole[y * s + dx];
                rows[y * s + x] = any;
            }
        var grown = new bool[s * s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++)
            {
                bool any = false;
                for (int dy = Math.Max(0, y - radius); dy <= Math.Min(s - 1, y + radius) && !any; dy++) any = rows[dy * s + x];
                grown[y * s + x] = any;
            }
        return new HoleMask(s, grown);
    }

    /// <summary>The hole's bounding box (x, y, width, height); empty (0,0,0,0) without a hole.</summary>
    public (int X, int Y, int Width, int Height) BoundingBox()
    {
        int x0 = Side, y0 = Side, x1 = -1, y1 = -1;
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
                if (_hole[y * Side + x]) { x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); }
        return x1 < 0 ? (0, 0, 0, 0) : (x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
