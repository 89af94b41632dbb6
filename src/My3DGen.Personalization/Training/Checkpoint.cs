// Training checkpoints: trainable values, Adam moments and step, the RNG state, the loss history, the option
// fingerprint and the dataset fingerprint in one safetensors file, written atomically. Restoring continues bit-for-bit;
// a checkpoint of another dataset, other settings, another base model or beyond the requested steps is refused.
using System.Globalization;
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Models.Api;

namespace My3DGen.Personalization.Training;

/// <summary>Saves and restores a <see cref="Personalizer"/>'s complete training state.</summary>
public static class Checkpoint
{
    const string Format = "my3dgen-checkpoint-v1";

    /// <summary>Writes the trainer's state to <paramref name="path"/> atomically.</summary>
    /// <exception cref="OutputFileException">The file cannot be written (names <paramref name="path"/>).</exception>
    public static void Save(Personalizer p, string path)
    {
        var w = new SafeTensorsWriter();
        w.AddMetadata("format", Format);
        w.AddMetadata("step", p.Step.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("adam_step", p.Optimizer.StepCount.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("rng_state", p.Rng.State.ToString(CultureInfo.InvariantCulture));
        w.AddMetadata("options", p.Options.Fingerprint);
        w.AddMetadata("base_hash", p.BaseHash);
        w.AddMetadata("dataset", p.DatasetFingerprint);
        w.AddMetadata("loss_history", JsonSerializer.Serialize(p.LossHistory));
        for (int i = 0; i < p.Trainables.Named.Count; i++)
        {
            var (name, t) = p.Trainables.Named[i];
            var (m, v) = p.Optimizer.State(i);
            w.Add("param." + name, t.Shape, t.ToArray());
            w.Add("adam_m." + name, t.Shape, m.ToArray());
            w.Add("adam_v." + name, t.Shape, v.ToArray());
        }
        OutputFileException.Guard(path, () => w.Write(path));
    }

    /// <summary>Restores the state in <paramref name="path"/> into <paramref name="p"/> (before <see cref="Personalizer.Run"/>).</summary>
    /// <exception cref="FileFormatException">Not a my3dgen checkpoint.</exception>
    /// <exception cref="ResumeMismatchException">Another dataset, other settings, another base model, or a step beyond
    /// <see cref="PersonalizeOptions.Steps"/>; nothing has been changed.</exception>
    public static void Load(Personalizer p, string path)
    {
        using var f = SafeTensorsFile.Open(path);
        string Meta(string key) => f.Metadata.TryGetValue(key, out var v) ? v : throw new FileFormatException(path, $"not a my3dgen checkpoint: metadata '{key}' missing");
        if (Meta("format") != Format) throw new FileFormatException(path, $"unsupported checkpoint format '{Meta("format")}'");
        if (Meta("base_hash") != p.BaseHash)
            throw new ResumeMismatchException(path, $"checkpoint belongs to base model {Meta("base_hash")}, this model is {p.BaseHash}");
        if (!f.Metadata.TryGetValue("dataset", out var dataset) || dataset != p.DatasetFingerprint)
            throw new ResumeMismatchException(path, "checkpoint was trained on another dataset (photos, cameras or anchors differ); start without --resume or use its dataset");
        if (Meta("options") != p.Options.Fingerprint)
            throw new ResumeMismatchException(path, $"checkpoint was made with different settings ({Meta("options")}) than this run ({p.Options.Fingerprint})");
        if (!int.TryParse(Meta("step"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int step))
            throw new FileFormatException(path, "metadata 'step' is not an integer");
        if (step > p.Options.Steps)
            throw new ResumeMismatchException(path, $"checkpoint is at step {step}, beyond the requested --steps {p.Options.Steps}; pass --steps {step} or more");
        var m = new List<float[]>(); var v = new List<float[]>(); var values = new List<float[]>();
        foreach (var (name, _) in p.Trainables.Named)
        {
            values.Add(f.ReadFloat32("param." + name));
            m.Add(f.ReadFloat32("adam_m." + name));
            v.Add(f.ReadFloat32("adam_v." + name));
        }
        for (int i = 0; i < values.Count; i++) p.Trainables.Named[i].Value.AssignFrom(values[i]);
        p.Optimizer.LoadState(int.Parse(Meta("adam_step"), CultureInfo.InvariantCulture), m, v);
        p.Restore(step, ulong.Parse(Meta("rng_state"), CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<List<float>>(Meta("loss_history")) ?? new List<float>());
    }
}
