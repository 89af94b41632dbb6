// The seams through which a fine-tuning method (LoRA) changes a layer without copying it: a conv/FC layer asks
// its adapter for a weight delta (added to the raw stored weight before any gain/modulation) and an output delta.
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Nn;

/// <summary>Optional per-layer modification; both members may return null for "no change".</summary>
internal interface ILayerAdapter
{
    /// <summary>ΔW with the shape of the layer's raw stored weight (e.g. [O,I,k,k] or [out,in]); added before modulation/gains.</summary>
    Tensor? WeightDelta(Tensor rawWeight);

    /// <summary>A term added to the layer's linear output (after gains and bias, before the activation).
    /// <paramref name="input"/> is the layer input, <paramref name="output"/> its linear output.</summary>
    Tensor? OutputDelta(Tensor input, Tensor output);
}
