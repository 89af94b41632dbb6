// What a run optimises: either My3DGen's LoRA set (factors + small vectors + optional decoder) or, for the
// paper's baseline, every backbone / super-resolution / decoder weight (full fine-tuning). One interface
// so the trainer, checkpoints and adapter files don't care which.
using My3DGen.Engine.Tensors;
using My3DGen.Personalization.Lora;
using My3DGen.Models;

namespace My3DGen.Personalization.Training;

public sealed class TrainableSet : IDisposable
{
    readonly TrainedBaseTensors _fullFineTuned = new();
    public LoraNetwork? Lora { get; }
    /// <summary>Every optimised tensor with its adapter-file name, in a fixed order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Named { get; }

    public TrainableSet(Eg3dGenerator generator, PersonalizeOptions options)
    {
        if (!options.FullFineTune)
        {
            Lora = new LoraNetwork(generator, new LoraOptions(options.Rank, options.Alpha, options.Seed), options.TrainDecoder);
            Named = Lora.NamedTrainables().ToList();
            return;
        }
        var list = new List<(string, Tensor)>();
        foreach (var (name, t) in generator.Tensors)
        {
            bool trainable = (name.StartsWith("backbone.synthesis.", StringComparison.Ordinal) || name.StartsWith("superresolution.", StringComparison.Ordinal)
                              || (options.TrainDecoder && name.StartsWith("decoder.", StringComparison.Ordinal)))
                             && !name.EndsWith(".noise_const", StringComparison.Ordinal) && !name.EndsWith(".resample_filter", StringComparison.Ordinal);
            if (!trainable) continue;
            _fullFineTuned.Add(t);
            list.Add((name, t));
        }
        Named = list;
    }

    public long Count => Named.Sum(n => n.Value.Numel);

    /// <summary>Restores the base generator (removes adapters, resets trained tensors).</summary>
    public void Dispose()
    {
        Lora?.Dispose();
        _fullFineTuned.Restore();
    }
}
