// Memory-mapped reader for the safetensors format (8-byte header length, JSON header, packed data).
// Validates every entry against the file size before any data is touched.
using System.IO.MemoryMappedFiles;
using System.Text.Json;

namespace My3DGen.Engine.IO;

/// <summary>One tensor entry of a safetensors header.</summary>
public sealed record SafeTensorInfo(string Name, StoredDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of the shape).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>A safetensors file opened read-only and memory-mapped. Dispose to unmap.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>The file path.</summary>
    public string Path { get; }
    /// <summary>The header's __metadata__ entries.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>Every tensor in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }
    readonly Dictionary<string, SafeTensorInfo> _byName;
    readonly MemoryMappedFile? _map;
    readonly MemoryMappedViewAccessor? _view;
    readonly long _dataStart;

    SafeTensorsFile(string path, Dictionary<string, string> meta, List<SafeTensorInfo> tensors,
        MemoryMappedFile? map, MemoryMappedViewAccessor? view, long dataStart)
    {
        Path = path; Metadata = meta; Tensors = tensors; _map = map; _view = view; _dataStart = dataStart;
        _byName = tensors.ToDictionary(t => t.Name);
    }

    /// <summary>Opens and validates the header of the file at <paramref name="path"/>.</summary>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        long fileLen = new FileInfo(path).Length;
        if (fileLen < 8) throw new FileFormatException(path, "too short for a safetensors file", 0);
        byte[] headerBytes;
        ulong headerLen;
        using (var fs = File.OpenRead(path))
        {
            Span<byte> lenBuf = stackalloc byte[8];
            fs.ReadExactly(lenBuf);
            headerLen = BitConverter.ToUInt64(lenBuf);
            if (headerLen > (ulong)(fileLen - 8) || headerLen > 100_000_000)
                throw new FileFormatException(path, $"header length {headerLen} exceeds the file size {fileLen}", 0);
            headerBytes = new byte[headerLen];
            fs.ReadExactly(headerBytes);
        }
        long dataStart = 8 + (long)headerLen;
        long dataLen = fileLen - dataStart;
        var meta = new Dictionary<string, string>();
        var tensors = new List<SafeTensorInfo>();
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) meta[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var e = prop.Value;
                string dt = e.GetProperty("dtype").GetString() ?? "";
                if (!StoredDTypeInfo.TryParseSafeTensors(dt, out var dtype))
                    throw new FileFormatException(path, $"tensor '{prop.Name}' has unsupported dtype '{dt}'", 8);
                var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var offs = e.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLen)
                    throw new FileFormatException(path, $"tensor '{prop.Name}' data offsets [{string.Join(",", offs)}] lie outside the data section of {dataLen} bytes", 8);
                if (shape.Any(s => s < 0))
                    throw new FileFormatException(path, $"tensor '{prop.Name}' has a negative dimension", 8);
                var info = new SafeTensorInfo(prop.Name, dtype, shape, offs[0], offs[1]);
                if (info.ElementCount * dtype.Size() != offs[1] - offs[0])
                    throw new FileFormatException(path, $"tensor '{prop.Name}' shape [{string.Join(",", shape)}] {dt} needs {info.ElementCount * dtype.Size()} bytes but has {offs[1] - offs[0]}", 8);
                tensors.Add(info);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new FileFormatException(path, "invalid safetensors JSON header: " + ex.Message, 8, ex);
        }
        MemoryMappedFile? map = null; MemoryMappedViewAccessor? view = null;
        if (fileLen > 0)
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, fileLen, MemoryMappedFileAccess.Read);
        }
        return new SafeTensorsFile(path, meta, tensors, map, view, dataStart);
    }

    /// <summary>True when the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/> (throws when missing).</summary>
    public SafeTensorInfo Info(string name) =>
        _byName.TryGetValue(name, out var i) ? i : throw new FileFormatException(Path, $"missing tensor '{name}'");

    /// <summary>Raw bytes of a tensor (a view into the mapped file; valid until Dispose).</summary>
    public unsafe ReadOnlySpan<byte> RawBytes(string name)
    {
        var info = Info(name);
        byte* p = null;
        _view!.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        try { return new ReadOnlySpan<byte>(p + _view.PointerOffset + _dataStart + info.Begin, checked((int)(info.End - info.Begin))); }
        finally { _view.SafeMemoryMappedViewHandle.ReleasePointer(); }
    }

    /// <summary>Reads a tensor converted to float32 (any stored dtype).</summary>
    public float[] ReadFloat32(string name)
    {
        var info = Info(name);
        var dst = new float[info.ElementCount];
        StoredDTypeInfo.ToFloat32(info.DType, RawBytes(name), dst);
        return dst;
    }

    /// <summary>Reads a float64 scalar or tensor as doubles (for F64 statistics in fixtures).</summary>
    public double[] ReadFloat64(string name)
    {
        var info = Info(name);
        if (info.DType != StoredDType.F64) return ReadFloat32(name).Select(x => (double)x).ToArray();
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(RawBytes(name)).ToArray();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _view?.Dispose();
        _map?.Dispose();
    }
}
