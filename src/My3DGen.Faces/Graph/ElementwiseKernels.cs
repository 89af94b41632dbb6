// Elementwise and shape ops of the face graphs with NumPy/TF broadcasting, and the one reduction they use (Sum).
namespace My3DGen.Faces.Graph;

/// <summary>Broadcasting binary ops, unary maps, reshape/squeeze and sum.</summary>
public static class ElementwiseKernels
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/> (TF/NumPy rules).</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var s = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ArgumentException($"shapes [{string.Join(",", a)}] and [{string.Join(",", b)}] do not broadcast");
            s[i] = Math.Max(da, db);
        }
        return s;
    }

    /// <summary>f(a, b) elementwise with broadcasting.</summary>
    public static GraphTensor Binary(GraphTensor a, GraphTensor b, Func<float, float, float> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var y = new GraphTensor(shape);
        float[] av = a.Data, bv = b.Data, yv = y.Data;
        int n = yv.Length;
        if (av.Length == n && bv.Length == n) { for (int i = 0; i < n; i++) yv[i] = f(av[i], bv[i]); return y; }
        if (av.Length == n && bv.Length == 1) { float s = bv[0]; for (int i = 0; i < n; i++) yv[i] = f(av[i], s); return y; }
        if (bv.Length == n && av.Length == 1) { float s = av[0]; for (int i = 0; i < n; i++) yv[i] = f(s, bv[i]); return y; }
        int last = shape[^1];
        if (av.Length == n && bv.Length == last && b.Shape[^1] == last) { for (int i = 0; i < n; i++) yv[i] = f(av[i], bv[i % last]); return y; }
        if (bv.Length == n && av.Length == last && a.Shape[^1] == last) { for (int i = 0; i < n; i++) yv[i] = f(av[i % last], bv[i]); return y; }
        var sa = Strides(a.Shape, shape.Length, shape); var sb = Strides(b.Shape, shape.Length, shape);
        var idx = new int[shape.Length];
        for (int i = 0; i < n; i++)
        {
            int rem = i, ia = 0, ib = 0;
            for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = rem % shape[d]; rem /= shape[d]; ia += idx[d] * sa[d]; ib += idx[d] * sb[d]; }
            yv[i] = f(av[ia], bv[ib]);
        }
        return y;
    }

    static int[] Strides(int[] shape, int rank, int[] outShape)
    {
        var s = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int k = d - (rank - shape.Length);
            int dim = k >= 0 ? shape[k] : 1;
            s[d] = dim == 1 && outShape[d] != 1 ? 0 : stride;
            stride *= dim;
        }
        return s;
    }

    /// <summary>f(x) elementwise.</summary>
    public static GraphTensor Unary(GraphTensor x, Func<float, float> f)
    {
        var y = new GraphTensor((int[])x.Shape.Clone());
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = f(x.Data[i]);
        return y;
    }

    /// <summary>The same values with a new shape; one entry may be -1 (inferred).</summary>
    public static GraphTensor Reshape(GraphTensor x, int[] shape)
    {
        shape = (int[])shape.Clone();
        int known = 1, infer = -1;
        for (int i = 0; i < shape.Length; i++) if (shape[i] == -1) infer = i; else known *= shape[i];
        if (infer >= 0) shape[infer] = x.Data.Length / Math.Max(known, 1);
        return new GraphTensor(shape, x.Data);
    }

    /// <summary>Removes the size-1 dimensions <paramref name="dims"/> (all size-1 dimensions when empty).</summary>
    public static GraphTensor Squeeze(GraphTensor x, int[] dims)
    {
        var drop = dims.Select(d => d < 0 ? d + x.Rank : d).ToHashSet();
        var shape = x.Shape.Where((d, i) => drop.Count == 0 ? d != 1 : !drop.Contains(i)).ToArray();
        foreach (int d in drop) if (x.Shape[d] != 1) throw new ArgumentException($"cannot squeeze dimension {d} of {x.ShapeText}");
        return new GraphTensor(shape, x.Data);
    }

    /// <summary>Sum over <paramref name="axes"/>, keeping them as size 1 when <paramref name="keepDims"/>.</summary>
    public static GraphTensor Sum(GraphTensor x, int[] axes, bool keepDims)
    {
        var set = axes.Select(a => a < 0 ? a + x.Rank : a).ToHashSet();
        var kept = x.Shape.Select((d, i) => set.Contains(i) ? 1 : d).ToArray();
        var y = new GraphTensor(kept);
        var idx = new int[x.Rank];
        for (int i = 0; i < x.Data.Length; i++)
        {
            int rem = i, o = 0;
            for (int d = x.Rank - 1; d >= 0; d--) { idx[d] = rem % x.Shape[d]; rem /= x.Shape[d]; }
            for (int d = 0; d < x.Rank; d++) o = o * kept[d] + (set.Contains(d) ? 0 : idx[d]);
            y.Data[o] += x.Data[i];
        }
        return keepDims ? y : new GraphTensor(x.Shape.Where((_, i) => !set.Contains(i)).ToArray(), y.Data);
    }
}
