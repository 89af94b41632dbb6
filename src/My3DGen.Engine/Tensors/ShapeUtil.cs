// Shape arithmetic shared by the ops: element counts, contiguous strides, broadcasting, axis normalisation.
namespace My3DGen.Engine.Tensors;

internal static class ShapeUtil
{
    public static long Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        return n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var st = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { st[i] = acc; acc *= shape[i]; }
        return st;
    }

    /// <summary>NumPy broadcasting of two shapes; throws naming the op when they are incompatible.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var y = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            int db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException(op, $"shapes {TensorException.Fmt(a)} and {TensorException.Fmt(b)} cannot be broadcast");
            y[i] = da == 1 ? db : da;
        }
        return y;
    }

    public static int NormalizeAxis(string op, int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeMismatchException(op, $"axis {axis} is out of range for rank {rank}");
        return a;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
