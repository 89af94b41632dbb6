// The handle AdapterFile.Apply returns: the generator carries the adapter until it is disposed, whether the file held
// LoRA factors (attached as a frozen LoRA set) or a full fine-tune (base tensors overwritten, originals remembered).
using My3DGen.Models.Lora;

namespace My3DGen.Personalization.Lora;

/// <summary>An adapter applied to a generator. Dispose it to restore the base model exactly.</summary>
public sealed class AppliedAdapter : IDisposable
{
    readonly TrainedBaseTensors? _overwritten;
    bool _disposed;

    internal AppliedAdapter(LoraNetwork? lora, TrainedBaseTensors? overwritten)
    {
        Lora = lora; _overwritten = overwritten;
    }

    /// <summary>The attached LoRA set, or null when the file was a full fine-tune (its weights are in the base tensors).</summary>
    public LoraNetwork? Lora { get; }

    /// <summary>Folds a LoRA adapter into the weights for plain-EG3D inference speed (nothing to do for a full fine-tune).
    /// Disposing still restores the base.</summary>
    public void Merge() => Lora?.Merge();

    /// <summary>Removes the adapter: the generator is the base model again.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Lora?.Dispose();
        _overwritten?.Restore();
    }
}
