// The adapter file: only the trained tensors (LoRA factors, trained base vectors, decoder; or every weight of a full
// fine-tune) plus metadata (mode, rank, alpha, base model hash, optional training provenance). Applying it to a
// generator attaches the values and returns a handle whose disposal restores the base; a different base is a typed error.
using System.Globalization;
using My3DGen.Engine.IO;
using My3DGen.Models;
using My3DGen.Models.Lora;
using My3DGen.Models.Api;

namespace My3DGen.Personalization.Lora;

/// <summary>Reads and writes <c>.lora.safetensors</c> adapter files.</summary>
public static class AdapterFile
{
    /// <summary>The value of the "format" metadata key.</summary>
    public const string Format = "my3dgen-lora-v1";

    /// <summary>Writes <paramref name="trained"/>'s tensors to <paramref name="path"/> atomically. <paramref name="provenance"/>
    /// adds metadata entries (e.g. "steps", "training"); the set's own keys (format, mode, rank, ...) cannot be overridden.</summary>
    /// <exception cref="OutputFileException">The file cannot be written (names <paramref name="path"/>).</exception>
    public static void Save(TrainableSet trained, string path, IReadOnlyDictionary<string, string>? provenance = null)
    {
        var w = new SafeTensorsWriter();
        foreach (var (k, v) in provenance ?? new Dictionary<string, string>()) w.AddMetadata(k, v);
        var lora = trained.Lora?.Options;
        w.AddMetadata("format", Format);
        w.AddMetadata("mode", trained.IsFullFineTune ? "full" : "lora");
        if (lora != null)
        {
            w.AddMetadata("rank", lora.Rank.ToString(CultureInfo.InvariantCulture));
            w.AddMetadata("alpha", lora.Alpha.ToString(CultureInfo.InvariantCulture));
            w.AddMetadata("lora_seed", lora.Seed.ToString(CultureInfo.InvariantCulture));
        }
        w.AddMetadata("train_decoder", trained.TrainDecoder ? "true" : "false");
        w.AddMetadata("base_hash", trained.BaseHash);
        w.AddMetadata("trainable_count", trained.Named.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, t) in trained.Named) w.Add(name, t.Shape, t.ToArray());
        OutputFileException.Guard(path, () => w.Write(path));
    }

    /// <summary>Writes a LoRA adapter for <paramref name="generator"/> from factors trained elsewhere (e.g. a converted My3DGen
    /// snapshot): every factor of a <paramref name="options"/>-shaped set must be given in <paramref name="factors"/> under its
    /// adapter name (layer prefix + ".lora_A" / ".lora_B"); the trained base vectors (biases, noise strengths, const) take the
    /// generator's own values, and the base hash is the generator's.</summary>
    /// <exception cref="ArgumentException">A factor is missing, unknown or of the wrong size.</exception>
    /// <exception cref="OutputFileException">The file cannot be written.</exception>
    public static void SaveLora(Eg3dGenerator generator, LoraOptions options, IReadOnlyDictionary<string, float[]> factors, string path,
        IReadOnlyDictionary<string, string>? provenance = null)
    {
        using var set = new TrainableSet(generator, options, trainDecoder: false);
        var expected = set.Lora!.Factors.SelectMany(f => new[] { f.A, f.B }).ToList();
        foreach (var name in factors.Keys)
            if (!expected.Any(t => t.Name == name)) throw new ArgumentException($"'{name}' is not a LoRA factor of this generator", nameof(factors));
        foreach (var t in expected)
        {
            if (!factors.TryGetValue(t.Name!, out var values)) throw new ArgumentException($"factor '{t.Name}' is missing", nameof(factors));
            if (values.Length != t.Numel) throw new ArgumentException($"factor '{t.Name}' has {values.Length} values, the layer needs {t.Numel}", nameof(factors));
            t.AssignFrom(values);
        }
        Save(set, path, provenance);
    }

    /// <summary>Applies the adapter in <paramref name="path"/> to <paramref name="generator"/>: a LoRA file attaches a frozen
    /// LoRA set, a full fine-tuning file overwrites the base tensors. Either way the generator is modified until the
    /// returned handle is disposed, which restores the base model exactly.</summary>
    /// <exception cref="FileFormatException">Not an adapter file, or trained on another base model (unless <paramref name="allowOtherBase"/>).</exception>
    public static AppliedAdapter Apply(Eg3dGenerator generator, string path, bool allowOtherBase = false)
    {
        using var f = SafeTensorsFile.Open(path);
        string Meta(string key) => f.Metadata.TryGetValue(key, out var v) ? v : throw new FileFormatException(path, $"not a my3dgen adapter: metadata '{key}' missing");
        if (Meta("format") != Format) throw new FileFormatException(path, $"unsupported adapter format '{Meta("format")}'");
        if (!allowOtherBase)
        {
            var hash = ModelHash.Compute(generator);
            if (Meta("base_hash") != hash)
                throw new FileFormatException(path, $"adapter was trained on base model {Meta("base_hash")}, this model is {hash}");
        }
        if (Meta("mode") == "full")
        {
            var byName = generator.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var info in f.Tensors)
                if (!byName.ContainsKey(info.Name)) throw new FileFormatException(path, $"tensor '{info.Name}' is not part of this model");
            var originals = new TrainedBaseTensors();
            foreach (var info in f.Tensors) originals.Add(byName[info.Name], trainable: false);
            foreach (var info in f.Tensors) byName[info.Name].AssignFrom(f.ReadFloat32(info.Name));
            return new AppliedAdapter(null, originals);
        }
        var options = new LoraOptions(ParseInt(path, Meta("rank"), "rank"), ParseFloat(path, Meta("alpha"), "alpha"));
        var lora = new LoraNetwork(generator, options, Meta("train_decoder") == "true");
        try
        {
            foreach (var (name, t) in lora.NamedTrainables())
            {
                if (!f.Contains(name)) throw new FileFormatException(path, $"adapter lacks tensor '{name}'");
                t.AssignFrom(f.ReadFloat32(name));
                t.RequiresGrad = false;
            }
        }
        catch { lora.Dispose(); throw; }
        foreach (var fct in lora.Factors) { fct.A.RequiresGrad = false; fct.B.RequiresGrad = false; }
        return new AppliedAdapter(lora, null);
    }

    static int ParseInt(string path, string s, string key) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new FileFormatException(path, $"metadata '{key}' is not an integer: '{s}'");

    static float ParseFloat(string path, string s, string key) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FileFormatException(path, $"metadata '{key}' is not a number: '{s}'");
}
