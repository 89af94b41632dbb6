// Which modulated-conv path a low-rank adapter being trained takes: a setting of the adapter set (LoraOptions.Fused),
// read by each layer through its adapter, so two generators in one process can use different paths.
namespace My3DGen.Models.Synthesis;

/// <summary>Off: always W0 + ΔW (the reference path); Auto: fused in the layers where it pays (the low-resolution ones);
/// Always: fused wherever a low-rank adapter is being trained (the equivalence tests).</summary>
public enum FusedLoraMode
{
    /// <summary>Always form W0 + ΔW and run the plain modulated conv.</summary>
    Off,
    /// <summary>Fused only where the output is smaller than the per-sample weight.</summary>
    Auto,
    /// <summary>Fused wherever the factors are being trained.</summary>
    Always,
}
