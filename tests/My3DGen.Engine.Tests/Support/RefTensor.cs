// A minimal double-precision host tensor used by the plain reference implementations in tests.
namespace My3DGen.Engine.Tests.Support;

public sealed class RefTensor
{
    public double[] Data { get; }
    public int[] Shape { get; }
    public int[] Strides { get; }

    public RefTensor(int[] shape, double[]? data = null)
    {
        Shape = shape;
        long n = shape.Aggregate(1L, (a, b) => a * b);
        Data = data ?? new double[n];
        if (Data.Length != n) throw new ArgumentException("data length does not match shape");
        Strides = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { Strides[i] = acc; acc *= shape[i]; }
    }

    public static RefTensor From(float[] data, int[] shape) => new(shape, data.Select(v => (double)v).ToArray());

    public int Index(params int[] idx)
    {
        int o = 0;
        for (int i = 0; i < idx.Length; i++) o += idx[i] * Strides[i];
        return o;
    }

    public double this[params int[] idx] { get => Data[Index(idx)]; set => Data[Index(idx)] = value; }

    /// <summary>Multi-index of a linear position.</summary>
    public int[] Unravel(int linear)
    {
        var idx = new int[Shape.Length];
        for (int i = Shape.Length - 1; i >= 0; i--) { idx[i] = linear % Shape[i]; linear /= Shape[i]; }
        return idx;
    }
}
