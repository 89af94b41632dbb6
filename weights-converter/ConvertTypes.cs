// Options and progress records of the converter API.
namespace My3DGen.WeightsConverter;

/// <summary>Options for <see cref="WeightsConverter.Convert"/>.</summary>
public sealed record ConvertOptions
{
    /// <summary>Top-level entry to convert (e.g. "G", "D"); null picks "G_ema" when the file has it, else the whole file.</summary>
    public string? Key { get; init; }
}

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
public sealed record ConvertResult(string OutputPath, int TensorCount, long ParameterCount, long BytesWritten, string Format, string? Key);
