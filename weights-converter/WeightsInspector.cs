// Describes a weight file without converting it: container, tensors (name, dtype, shape), metadata /
// configuration and, for pickles, every global the file references.
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter;

/// <summary>One tensor line of an inspection report.</summary>
public sealed record InspectedTensor(string Name, StoredDType DType, int[] Shape);

/// <summary>What <see cref="WeightsInspector.Inspect"/> found in a file.</summary>
public sealed record InspectionReport(
    string Path, string Container, string? SelectedKey, IReadOnlyList<string> TopLevelKeys,
    IReadOnlyList<string> Globals, IReadOnlyList<InspectedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Total number of elements over all tensors.</summary>
    public long ParameterCount => Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
}

/// <summary>Reads a weight file and reports its content (for a My3DGen snapshot: the base under plain EG3D names, then the LoRA factors).</summary>
public static class WeightsInspector
{
    /// <summary>Inspects <paramref name="path"/>; <paramref name="key"/> selects a top-level entry as in conversion.</summary>
    public static InspectionReport Inspect(string path, string? key = null, IProgress<ConvertProgress>? progress = null)
    {
        using var src = WeightsSource.Open(path, key, progress);
        return new InspectionReport(src.Path, src.Container, src.SelectedKey, src.TopLevelKeys.ToList(), src.Globals.ToList(),
            src.Tensors.Select(t => new InspectedTensor(t.Name, t.DType, t.Shape))
                .Concat(src.Lora?.Factors.Select(f => new InspectedTensor(f.Key, f.Value.DType, f.Value.Shape.Select(x => (int)x).ToArray())) ?? []).ToList(),
            new Dictionary<string, string>(src.Metadata));
    }
}
