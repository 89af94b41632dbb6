// Writes a generator's current weights (e.g. with a personalized adapter merged in) as a converter-style safetensors
// file that Eg3dGenerator.Load reads back: every tensor in state-dict order plus configuration metadata, atomically.
using My3DGen.Engine.IO;

namespace My3DGen.Models.Api;

/// <summary>Saves generators to safetensors.</summary>
public static class GeneratorFile
{
    /// <summary>Writes every tensor of <paramref name="generator"/> (its current values) to <paramref name="path"/> atomically.
    /// <paramref name="metadata"/> must hold the configuration keys Eg3dGenerator.Load needs (init_kwargs, rendering_kwargs,
    /// neural_rendering_resolution): pass the metadata of the file the generator was loaded from, plus any provenance.</summary>
    /// <exception cref="OutputFileException">The file cannot be written (names <paramref name="path"/>).</exception>
    public static void Save(Eg3dGenerator generator, string path, IReadOnlyDictionary<string, string> metadata)
    {
        var w = new SafeTensorsWriter();
        foreach (var (k, v) in metadata) w.AddMetadata(k, v);
        foreach (var (name, t) in generator.Tensors) w.Add(name, t.Shape, t.ToArray());
        OutputFileException.Guard(path, () => w.Write(path));
    }

    /// <summary>The metadata of the safetensors file at <paramref name="path"/> (to carry a model's configuration over).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var f = SafeTensorsFile.Open(path);
        return new Dictionary<string, string>(f.Metadata);
    }
}
