// Reads named float32 weights of known shapes from converted safetensors files (the output of `my3dgen convert`):
// each name is looked up in the given files in order, and a missing name or a wrong element count is a typed
// FileFormatException naming the file, the tensor and the expected shape.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Nn;

internal sealed class StateDictReader : IDisposable
{
    readonly SafeTensorsFile[] _files;
    readonly IBackend _backend;
    readonly string _what;

    /// <summary>Opens <paramref name="paths"/> (duplicates opened once); <paramref name="what"/> names the network in errors.</summary>
    public StateDictReader(IBackend backend, string what, params string[] paths)
    {
        _backend = backend; _what = what;
        var opened = new List<SafeTensorsFile>();
        try { foreach (var p in paths.Distinct()) opened.Add(SafeTensorsFile.Open(p)); }
        catch { foreach (var f in opened) f.Dispose(); throw; }
        _files = opened.ToArray();
    }

    /// <summary>The tensor <paramref name="name"/> as a [shape] float32 tensor on the backend.</summary>
    public Tensor Get(string name, int[] shape)
    {
        var file = _files.FirstOrDefault(f => f.Contains(name))
            ?? throw new FileFormatException(string.Join(" / ", _files.Select(f => f.Path)), $"missing {_what} tensor '{name}' (expected shape [{string.Join(",", shape)}])");
        var info = file.Info(name);
        if (info.ElementCount != shape.Aggregate(1L, (a, b) => a * b))
            throw new FileFormatException(file.Path, $"{_what} tensor '{name}' has shape [{string.Join(",", info.Shape)}], expected [{string.Join(",", shape)}]");
        return Tensor.FromArray(_backend, file.ReadFloat32(name), shape);
    }

    /// <summary>Closes the files.</summary>
    public void Dispose() { foreach (var f in _files) f.Dispose(); }
}
