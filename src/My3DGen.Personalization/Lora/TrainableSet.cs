// What a run optimises: either My3DGen's LoRA set (factors + small vectors + optional decoder) or, for the
// paper's baseline, every backbone / super-resolution / decoder weight (full fine-tuning). One type so the
// trainer, checkpoints and adapter files don't care which; it remembers the base model's hash.
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Lora;

namespace My3DGen.Personalization.Lora;

/// <summary>The tensors a run trains, attached to a generator: the generator is modified until <see cref="Dispose"/>,
/// which restores the base model exactly.</summary>
public sealed class TrainableSet : IDisposable
{
    readonly TrainedBaseTensors _fullFineTuned = new();
    /// <summary>The LoRA set, or null for full fine-tuning.</summary>
    public LoraNetwork? Lora { get; }
    /// <summary>Whether the tri-plane decoder is trained.</summary>
    public bool TrainDecoder { get; }
    /// <summary>Hash of the base model (<see cref="ModelHash"/>) taken before anything was changed.</summary>
    public string BaseHash { get; }
    /// <summary>Every optimised tensor with its adapter-file name, in a fixed order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Named { get; }

    /// <summary>Attaches a LoRA set with <paramref name="lora"/>'s settings to <paramref name="generator"/>, or, when
    /// <paramref name="lora"/> is null, makes every backbone / super-resolution (/ decoder) weight trainable.</summary>
    public TrainableSet(Eg3dGenerator generator, LoraOptions? lora, bool trainDecoder)
    {
        BaseHash = ModelHash.Compute(generator);
        TrainDecoder = trainDecoder;
        if (lora != null)
        {
            Lora = new LoraNetwork(generator, lora, trainDecoder);
            Named = Lora.NamedTrainables().ToList();
            return;
        }
        var list = new List<(string, Tensor)>();
        foreach (var (name, t) in generator.Tensors)
        {
            bool trainable = (name.StartsWith("backbone.synthesis.", StringComparison.Ordinal) || name.StartsWith("superresolution.", StringComparison.Ordinal)
                              || (trainDecoder && name.StartsWith("decoder.", StringComparison.Ordinal)))
                             && !name.EndsWith(".noise_const", StringComparison.Ordinal) && !name.EndsWith(".resample_filter", StringComparison.Ordinal);
            if (!trainable) continue;
            _fullFineTuned.Add(t);
            list.Add((name, t));
        }
        Named = list;
    }

    /// <summary>True for the full fine-tuning baseline (no LoRA).</summary>
    public bool IsFullFineTune => Lora == null;

    /// <summary>Number of trained values.</summary>
    public long Count => Named.Sum(n => n.Value.Numel);

    /// <summary>Restores the base generator (removes adapters, resets trained tensors).</summary>
    public void Dispose()
    {
        Lora?.Dispose();
        _fullFineTuned.Restore();
    }
}
