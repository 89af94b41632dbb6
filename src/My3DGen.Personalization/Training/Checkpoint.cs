// Training checkpoints: trainable values, Adam moments and step, the RNG state, the loss history and the
// option fingerprint in one safetensors file, written atomically. Restoring continues bit-for-bit.
using System.Globalization;
using System.Text.Json;
using My3DGen.Engine.IO;

namespace My3DGen.Personalization.Training;

public static class Checkpoint
{
    const string Format = "my3dgen-checkpoint-v1";

    public static void Save(Personalizer p, string path)
    {
        var w = new SafeTensorsWriter();
        w.AddMetadata("format", Format);
        w.AddMetadata("step", p.Step.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("adam_step", p.Optimizer.StepCount.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("rng_state", p.Rng.State.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("options", p.Options.Fingerprint);
        w.AddMetadata("base_hash", p.BaseHash);
        w.AddMetadata("loss_history", JsonSerializer.Serialize(p.LossHistory));
        for (int i = 0; i < p.Trainables.Named.Count; i++)
        {
            var (name, t) = p.Trainables.Named[i];
            var (m, v) = p.Optimizer.State(i);
            w.Add("param." + name, t.Shape, t.ToArray());
            w.Add("adam_m." + name, t.Shape, m.ToArray());
            w.Add("adam_v." + name, t.Shape, v.ToArray());
        }
        w.Write(path);
    }

    public static void Load(Personalizer p, string path)
    {
        using var f = SafeTensorsFile.Open(path);
        string Meta(string key) => f.Metadata.TryGetValue(key, out var v) ? v : throw new FileFormatException(path, $"not a my3dgen checkpoint: metadata '{key}' missing");
        if (Meta("format") != Format) throw new FileFormatException(path, $"unsupported checkpoint format '{Meta("format")}'");
        if (Meta("options") != p.Options.Fingerprint)
            throw new FileFormatException(path, $"checkpoint was made with different settings ({Meta("options")}) than this run ({p.Options.Fingerprint})");
        if (Meta("base_hash") != p.BaseHash)
            throw new FileFormatException(path, $"checkpoint belongs to base model {Meta("base_hash")}, this model is {p.BaseHash}");
        var m = new List<float[]>(); var v = new List<float[]>();
        foreach (var (name, t) in p.Trainables.Named)
        {
            t.AssignFrom(f.ReadFloat32("param." + name));
            m.Add(f.ReadFloat32("adam_m." + name));
            v.Add(f.ReadFloat32("adam_v." + name));
        }
        p.Optimizer.LoadState(int.Parse(Meta("adam_step"), CultureInfo.InvariantCulture), m, v);
        p.Restore(int.Parse(Meta("step"), CultureInfo.InvariantCulture), ulong.Parse(Meta("rng_state"), CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<List<float>>(Meta("loss_history")) ?? new List<float>());
    }
}
