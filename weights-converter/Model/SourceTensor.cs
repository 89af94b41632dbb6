// One tensor of an input file as the converter sees it: name, element type, shape and a function
// that streams its bytes (so no tensor is materialized in memory before it is written).
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter.Model;

/// <summary>A named tensor of a weight file, ready to be streamed into a safetensors file.</summary>
internal sealed class SourceTensor
{
    readonly Func<Stream, long> _write;

    internal SourceTensor(string name, StoredDType dtype, int[] shape, Func<Stream, long> write)
    {
        Name = name; DType = dtype; Shape = shape; _write = write;
    }

    public string Name { get; }
    public StoredDType DType { get; }
    public int[] Shape { get; }
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteCount => ElementCount * DType.Size();

    /// <summary>Writes the tensor's little-endian bytes in row-major order; returns the byte count.</summary>
    public long WriteTo(Stream output) => _write(output);

    /// <summary>Reads the tensor converted to float32 (for tests and small tensors).</summary>
    public float[] ReadFloat32()
    {
        using var ms = new MemoryStream();
        WriteTo(ms);
        var dst = new float[ElementCount];
        StoredDTypeInfo.ToFloat32(DType, ms.GetBuffer().AsSpan(0, (int)ms.Length), dst);
        return dst;
    }
}
