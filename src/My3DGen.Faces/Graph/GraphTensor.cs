// A dense float32 tensor in TF's own layout (row-major, NHWC for images) as the graph runner passes it between ops.
// Integer constants (shapes, paddings, axes) are held as exact floats: they are small.
namespace My3DGen.Faces.Graph;

/// <summary>A dense row-major float32 tensor of the TF.js graph runner (images are NHWC).</summary>
public sealed class GraphTensor
{
    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }
    /// <summary>The values, row-major; length = product of <see cref="Shape"/>.</summary>
    public float[] Data { get; }

    /// <summary>Wraps <paramref name="data"/> (not copied) with <paramref name="shape"/>.</summary>
    public GraphTensor(int[] shape, float[] data)
    {
        long n = 1;
        foreach (int d in shape) { if (d < 0) throw new ArgumentException($"negative dimension in [{string.Join(",", shape)}]"); n *= d; }
        if (n != data.Length) throw new ArgumentException($"shape [{string.Join(",", shape)}] holds {n} values, data has {data.Length}");
        Shape = shape; Data = data;
    }

    /// <summary>A zero tensor of <paramref name="shape"/>.</summary>
    public GraphTensor(params int[] shape) : this(shape, new float[Count(shape)]) { }

    /// <summary>Number of values of <paramref name="shape"/>.</summary>
    public static int Count(int[] shape) { int n = 1; foreach (int d in shape) n = checked(n * d); return n; }

    /// <summary>Rank (number of dimensions).</summary>
    public int Rank => Shape.Length;

    /// <summary>The shape as text, e.g. [1,256,256,3].</summary>
    public string ShapeText => $"[{string.Join(",", Shape)}]";

    /// <summary>The values as integers (shape, axis and padding constants).</summary>
    public int[] AsInts() => Array.ConvertAll(Data, v => (int)v);
}
