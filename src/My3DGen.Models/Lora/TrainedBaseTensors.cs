// Base-model tensors that a run trains in place (biases, noise strengths, const, decoder, or all weights in full
// fine-tuning): remembers their original values and restores them, so the base generator is unchanged afterwards.
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Lora;

internal sealed class TrainedBaseTensors
{
    readonly List<(Tensor Target, float[] Original)> _originals = new();

    /// <summary>Records <paramref name="t"/>'s current values and (unless <paramref name="trainable"/> is false) makes it trainable.</summary>
    public void Add(Tensor t, bool trainable = true)
    {
        _originals.Add((t, t.ToArray()));
        if (trainable) t.RequiresGrad = true;
    }

    /// <summary>Writes the recorded values back, drops gradients and freezes the tensors again.</summary>
    public void Restore()
    {
        foreach (var (t, original) in _originals)
        {
            t.AssignFrom(original);
            t.Grad?.Dispose(); t.Grad = null;
            t.RequiresGrad = false;
        }
    }
}
