// Entry point of the converter: decodes an input weight file and writes its tensors and configuration
// to a safetensors file, atomically (a failed conversion leaves no output behind).
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Model;

namespace My3DGen.WeightsConverter;

/// <summary>Converts EG3D pickles, torch files and .npy arrays into safetensors.</summary>
public static class WeightsConverter
{
    /// <summary>Converts <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <exception cref="FileFormatException">The input is malformed or unsupported (always a <see cref="WeightsFormatException"/> for torch/pickle inputs).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired (checked between tensors); no output is left behind.</exception>
    public static ConvertResult Convert(string inputPath, string outputPath, ConvertOptions? options = null, IProgress<ConvertProgress>? progress = null,
        CancellationToken cancel = default)
    {
        options ??= new ConvertOptions();
        using var src = WeightsSource.Open(inputPath, options.Key, progress);
        cancel.ThrowIfCancellationRequested();
        if (src.Lora != null && !options.ExtractMy3DGenLora)
            throw new WeightsFormatException(src.Path, $"a My3DGen LoRA snapshot (rank {src.Lora.Rank}, alpha {src.Lora.Alpha:G}): converting only its base model would drop the trained factors; give an adapter output (--adapter-out)");
        if (src.Lora == null && options.ExtractMy3DGenLora)
            throw new WeightsFormatException(src.Path, "not a My3DGen LoRA snapshot (no LoRA wrappers in " + (src.SelectedKey ?? "the file") + "): there is no adapter to extract");
        var result = Write(src, outputPath, progress, cancel);
        return src.Lora == null ? result : result with { Lora = Imported(src.Lora, src.Path) };
    }

    static ImportedLora Imported(My3DGenLora lora, string path) => new(lora.Rank, lora.Alpha, lora.Scaling,
        lora.Factors.Select(f =>
        {
            var t = new SourceTensor(f.Key, f.Value.DType, f.Value.Shape.Select(x => (int)x).ToArray(), s => TensorBytes.Write(f.Value, s, path));
            return new ImportedTensor(t.Name, t.Shape, t.ReadFloat32());
        }).ToList());

    /// <summary>Writes an already opened source to <paramref name="outputPath"/>.</summary>
    internal static ConvertResult Write(WeightsSource src, string outputPath, IProgress<ConvertProgress>? progress = null, CancellationToken cancel = default)
    {
        if (src.Tensors.Count == 0) throw new WeightsFormatException(src.Path, "no tensors found" + (src.SelectedKey != null ? $" under '{src.SelectedKey}'" : ""));
        var writer = new SafeTensorsWriter();
        foreach (var (k, v) in src.Metadata) writer.AddMetadata(k, v);
        long total = 0, parameters = 0;
        foreach (var t in src.Tensors)
        {
            total += t.ByteCount;
            parameters += t.ElementCount;
            writer.AddStreamed(t.Name, t.DType, t.Shape, (n, s) => { cancel.ThrowIfCancellationRequested(); return t.WriteTo(s); });
        }
        writer.Write(outputPath, progress == null ? null : new Progress(progress, total));
        progress?.Report(new ConvertProgress(ConvertStage.Done, total, total));
        return new ConvertResult(outputPath, src.Tensors.Count, parameters, total, src.Metadata.GetValueOrDefault("format", ""), src.SelectedKey);
    }

    // Synchronous adapter (System.Progress would post to the thread pool and reorder reports).
    sealed class Progress(IProgress<ConvertProgress> inner, long total) : IProgress<long>
    {
        public void Report(long value) => inner.Report(new ConvertProgress(ConvertStage.Writing, value, total));
    }
}
