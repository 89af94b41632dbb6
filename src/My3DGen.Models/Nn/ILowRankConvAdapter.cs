// Optional seam for conv adapters whose weight delta is low-rank, ΔW = Scaling·reshape(B·A): a modulated conv layer that
// sees it applies W0 and the factors separately (LowRankModulatedConv) instead of materialising ΔW and W0 + ΔW per step.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Nn;

/// <summary>A conv adapter with ΔW [O,I,k,k] = <see cref="Scaling"/>·reshape(<see cref="B"/>·<see cref="A"/>);
/// <see cref="ILayerAdapter.WeightDelta"/> must return that same delta (the unfused fallback).</summary>
internal interface ILowRankConvAdapter : ILayerAdapter
{
    /// <summary>[R, I·k·k]: row j reshaped to [I,k,k] is a conv kernel (row-major: column i·k·k + kh·k + kw).</summary>
    Tensor A { get; }
    /// <summary>[O, R].</summary>
    Tensor B { get; }
    /// <summary>The factor applied to B·A (alpha / rank).</summary>
    float Scaling { get; }
    /// <summary>Where the layer applies the factors without forming ΔW while they are being trained.</summary>
    FusedLoraMode Fused { get; }
}
