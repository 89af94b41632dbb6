// Options and progress records of the converter API.
namespace My3DGen.WeightsConverter;

/// <summary>Options for <see cref="WeightsConverter.Convert"/>.</summary>
public sealed record ConvertOptions
{
    /// <summary>Top-level entry to convert (e.g. "G", "D"); null picks "G_ema" when the file has it, else the whole file.</summary>
    public string? Key { get; init; }

    /// <summary>True: the input must be a My3DGen LoRA snapshot; its base model is written under plain EG3D names and its
    /// factors are returned in <see cref="ConvertResult.Lora"/>. False (default): a My3DGen LoRA snapshot is refused, because
    /// converting only its base would silently drop the trained factors.</summary>
    public bool ExtractMy3DGenLora { get; init; }
}

/// <summary>One tensor read from an input file, as float32.</summary>
/// <param name="Name">Its name (plain EG3D naming).</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Its values in row-major order.</param>
public sealed record ImportedTensor(string Name, int[] Shape, float[] Values);

/// <summary>The LoRA settings and factors of a My3DGen snapshot (spec eg3d.md §10). Factor names are the adapted layer's
/// EG3D state-dict prefix plus ".lora_A" / ".lora_B", e.g. "backbone.synthesis.b4.conv1.affine.lora_B".</summary>
/// <param name="Rank">The wrappers' r.</param>
/// <param name="Alpha">The wrappers' lora_alpha.</param>
/// <param name="Scaling">The wrappers' scaling (= Alpha / Rank, checked).</param>
/// <param name="Factors">Every lora_A and lora_B, in state-dict order.</param>
public sealed record ImportedLora(int Rank, double Alpha, double Scaling, IReadOnlyList<ImportedTensor> Factors);

/// <summary>Which phase a conversion is in.</summary>
public enum ConvertStage
{
    /// <summary>Parsing the input file.</summary>
    Reading,
    /// <summary>Writing the safetensors output.</summary>
    Writing,
    /// <summary>Finished.</summary>
    Done,
}

/// <summary>Progress of a conversion: <paramref name="Done"/> of <paramref name="Total"/> bytes in <paramref name="Stage"/>.</summary>
public readonly record struct ConvertProgress(ConvertStage Stage, long Done, long Total);

/// <summary>Summary of a finished conversion.</summary>
public sealed record ConvertResult(string OutputPath, int TensorCount, long ParameterCount, long BytesWritten, string Format, string? Key)
{
    /// <summary>The LoRA factors of a My3DGen snapshot (with <see cref="ConvertOptions.ExtractMy3DGenLora"/>), else null.</summary>
    public ImportedLora? Lora { get; init; }
}
