// One model of an evaluation: the base generator (no adapter) or the base with a personalized adapter file, under a
// label for the tables (e.g. "r1", "r4", "full"), with what Table 1 lists about it (mode, rank, trained values, file size).
using System.Globalization;
using My3DGen.Engine.IO;
using My3DGen.Personalization.Lora;

namespace My3DGen.Tasks.Evaluation;

/// <summary>A model to evaluate: <paramref name="AdapterPath"/> null is the base model.</summary>
/// <param name="Label">Name in tables, plots and folder names (letters, digits, '-', '_', '.', '+').</param>
/// <param name="AdapterPath">A `.lora.safetensors` adapter file (LoRA or full fine-tune), or null.</param>
public sealed record EvalModel(string Label, string? AdapterPath)
{
    /// <summary>The label of the base model.</summary>
    public const string BaseLabel = "base";

    /// <summary>True when <paramref name="label"/> is usable as a table entry and folder name.</summary>
    public static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= 40 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+') && label is not ("." or "..");
}

/// <summary>What Table 1 lists about a model's adapter.</summary>
/// <param name="Mode">"base", "lora" or "full".</param>
/// <param name="Rank">The LoRA rank, or null (base, full fine-tune).</param>
/// <param name="TrainedValues">Values stored in the adapter (0 for the base).</param>
/// <param name="FileBytes">Size of the adapter file (0 for the base).</param>
public sealed record AdapterSummary(string Mode, int? Rank, long TrainedValues, long FileBytes)
{
    /// <summary>The base model's summary.</summary>
    public static AdapterSummary Base { get; } = new("base", null, 0, 0);

    /// <summary>Reads mode, rank and the stored values of an adapter file.</summary>
    /// <exception cref="FileFormatException">Not a my3dgen adapter file.</exception>
    public static AdapterSummary Read(string path)
    {
        using var f = SafeTensorsFile.Open(path);
        if (!f.Metadata.TryGetValue("format", out var format) || format != AdapterFile.Format) throw new FileFormatException(path, "not a my3dgen adapter file (metadata 'format' is not " + AdapterFile.Format + ")");
        string mode = f.Metadata.TryGetValue("mode", out var m) ? m : "lora";
        int? rank = mode == "lora" && f.Metadata.TryGetValue("rank", out var r) && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) ? k : null;
        return new AdapterSummary(mode, rank, f.Tensors.Sum(t => t.ElementCount), new FileInfo(path).Length);
    }

    /// <summary>"base", "LoRA rank 4" or "full fine-tune".</summary>
    public string Describe() => Mode switch { "base" => "base", "full" => "full fine-tune", _ => Rank is int r ? $"LoRA rank {r}" : "LoRA" };
}
