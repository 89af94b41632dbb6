// Writes safetensors files atomically: everything goes to a temp file beside the target,
// which is renamed over the target only after the last byte is flushed.
using System.Text;
using System.Text.Json;

namespace My3DGen.Engine.IO;

/// <summary>Collects tensors and metadata, then writes one safetensors file.</summary>
public sealed class SafeTensorsWriter
{
    readonly List<(string Name, StoredDType DType, int[] Shape, Func<long, Stream, long>? Writer, byte[]? Data)> _entries = new();
    readonly Dictionary<string, string> _metadata = new();
    readonly HashSet<string> _names = new();

    /// <summary>Adds a __metadata__ entry.</summary>
    public void AddMetadata(string key, string value) => _metadata[key] = value;

    /// <summary>Adds a float32 tensor.</summary>
    public void Add(string name, int[] shape, ReadOnlySpan<float> data)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (n != data.Length) throw new ArgumentException($"tensor '{name}': shape [{string.Join(",", shape)}] has {n} elements but {data.Length} were given");
        AddRaw(name, StoredDType.F32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());
    }

    /// <summary>Adds a float64 tensor.</summary>
    public void Add(string name, int[] shape, ReadOnlySpan<double> data) =>
        AddRaw(name, StoredDType.F64, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());

    /// <summary>Adds an int64 tensor.</summary>
    public void Add(string name, int[] shape, ReadOnlySpan<long> data) =>
        AddRaw(name, StoredDType.I64, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());

    /// <summary>Adds raw little-endian bytes of the given dtype.</summary>
    public void AddRaw(string name, StoredDType dtype, int[] shape, byte[] data)
    {
        if (!_names.Add(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
        long expect = shape.Aggregate(1L, (a, b) => a * b) * dtype.Size();
        if (expect != data.LongLength) throw new ArgumentException($"tensor '{name}': {data.LongLength} bytes given, shape needs {expect}");
        _entries.Add((name, dtype, shape, null, data));
    }

    /// <summary>Adds a tensor whose bytes are streamed at write time (for large conversions):
    /// <paramref name="writer"/> receives the byte count and the stream and must write exactly that many bytes.</summary>
    public void AddStreamed(string name, StoredDType dtype, int[] shape, Func<long, Stream, long> writer)
    {
        if (!_names.Add(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
        _entries.Add((name, dtype, shape, writer, null));
    }

    /// <summary>Number of tensors added so far.</summary>
    public int Count => _entries.Count;

    /// <summary>Writes the file atomically. <paramref name="progress"/> receives bytes written so far.</summary>
    public void Write(string path, IProgress<long>? progress = null)
    {
        var header = new Dictionary<string, object>();
        if (_metadata.Count > 0) header["__metadata__"] = _metadata;
        long offset = 0;
        foreach (var e in _entries)
        {
            long bytes = e.Shape.Aggregate(1L, (a, b) => a * b) * e.DType.Size();
            header[e.Name] = new Dictionary<string, object>
            {
                ["dtype"] = e.DType.SafeTensorsName(),
                ["shape"] = e.Shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int pad = (8 - json.Length % 8) % 8;
        AtomicFile.Write(path, fs =>
        {
            fs.Write(BitConverter.GetBytes((ulong)(json.Length + pad)));
            fs.Write(json);
            for (int i = 0; i < pad; i++) fs.WriteByte((byte)' ');
            long written = 0;
            foreach (var e in _entries)
            {
                long bytes = e.Shape.Aggregate(1L, (a, b) => a * b) * e.DType.Size();
                if (e.Data != null) fs.Write(e.Data);
                else
                {
                    long got = e.Writer!(bytes, fs);
                    if (got != bytes) throw new InvalidOperationException($"tensor '{e.Name}': streamed {got} bytes, expected {bytes}");
                }
                written += bytes;
                progress?.Report(written);
            }
        });
    }
}
