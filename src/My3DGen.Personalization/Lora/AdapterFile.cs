// The adapter file: only the trained tensors (LoRA factors, trained base vectors, decoder) plus metadata
// (rank, alpha, base model hash, training settings). Applying it to a generator re-creates the LoRA set
// and loads the values; a different base model is a typed error.
using System.Globalization;
using My3DGen.Engine.IO;
using My3DGen.Personalization.Training;
using My3DGen.Models;

namespace My3DGen.Personalization.Lora;

public static class AdapterFile
{
    public const string Format = "my3dgen-lora-v1";

    public static void Save(Personalizer p, string path)
    {
        var w = new SafeTensorsWriter();
        w.AddMetadata("format", Format);
        w.AddMetadata("mode", p.Options.FullFineTune ? "full" : "lora");
        w.AddMetadata("rank", p.Options.Rank.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("alpha", p.Options.Alpha.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("lora_seed", p.Options.Seed.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("train_decoder", p.Options.TrainDecoder ? "true" : "false");
        w.AddMetadata("base_hash", p.BaseHash);
        w.AddMetadata("trainable_count", p.Trainables.Count.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("steps", p.Step.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("training", System.Text.Json.JsonSerializer.Serialize(p.Options));
        foreach (var (name, t) in p.Trainables.Named) w.Add(name, t.Shape, t.ToArray());
        w.Write(path);
    }

    /// <summary>Attaches the adapter in <paramref name="path"/> to <paramref name="generator"/> and returns the LoRA set
    /// (dispose it to restore the base). Full fine-tuning files are applied by overwriting the base tensors.</summary>
    public static LoraNetwork? Apply(Eg3dGenerator generator, string path, bool allowOtherBase = false)
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
            {
                if (!byName.TryGetValue(info.Name, out var t)) throw new FileFormatException(path, $"tensor '{info.Name}' is not part of this model");
                t.AssignFrom(f.ReadFloat32(info.Name));
            }
            return null;
        }
        var lora = new LoraNetwork(generator, new LoraOptions(int.Parse(Meta("rank"), CultureInfo.InvariantCulture),
            float.Parse(Meta("alpha"), CultureInfo.InvariantCulture)), Meta("train_decoder") == "true");
        foreach (var (name, t) in lora.NamedTrainables())
        {
            if (!f.Contains(name)) { lora.Dispose(); throw new FileFormatException(path, $"adapter lacks tensor '{name}'"); }
            t.AssignFrom(f.ReadFloat32(name));
            t.RequiresGrad = false;
        }
        foreach (var fct in lora.Factors) { fct.A.RequiresGrad = false; fct.B.RequiresGrad = false; }
        return lora;
    }
}
