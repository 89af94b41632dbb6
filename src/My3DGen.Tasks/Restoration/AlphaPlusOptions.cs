// Settings of MyStyle's α⁺ projection (spec algorithms.md §3.2): 1000 Adam steps at lr 5e-3 (betas 0.9/0.999) on
// LPIPS-alex + 1·MSE of the degraded render against the degraded target, plus the regulariser R (10 · Σ_{l<12} ‖Δ_l‖ +
// 10 · mean_l (Σ_n α⁺_{l,n} − 1)²); the soft constraint β = 0.03; per-layer offsets Δ trained in W+ mode.
using My3DGen.Models.Lora;

namespace My3DGen.Tasks.Restoration;

/// <summary>Settings of an <see cref="AlphaPlusProjector"/>; the defaults are MyStyle's.</summary>
public sealed record AlphaPlusOptions
{
    /// <summary>Adam steps (projection_steps, 1000).</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Adam learning rate (projection_lr, 5e-3).</summary>
    public float LearningRate { get; init; } = 5e-3f;
    /// <summary>Train the per-layer offsets Δ [L, N] (α⁺, is_wplus); false optimises one α for all layers (α space).</summary>
    public bool WPlus { get; init; } = true;
    /// <summary>β of the soft constraint ã = softplus_100(α⁺ + β) − β (so ã ≥ −β approximately); null disables it.</summary>
    public float? Beta { get; init; } = 0.03f;
    /// <summary>Weight of Σ_{l &lt; <see cref="DeltaLayersToRegularize"/>} ‖Δ_l‖₂ (deltas_reg_weight, 10).</summary>
    public float DeltaRegWeight { get; init; } = 10f;
    /// <summary>How many leading layers' offsets are regularised (deltas_layers_to_reg, 12).</summary>
    public int DeltaLayersToRegularize { get; init; } = 12;
    /// <summary>Weight of mean_l (Σ_n α⁺_{l,n} − 1)² (sum_1_reg_weight, 10).</summary>
    public float SumToOneRegWeight { get; init; } = 10f;
    /// <summary>Weight of the MSE term (l2_weight, 1).</summary>
    public float MseWeight { get; init; } = 1f;
    /// <summary>Weight of the LPIPS-alex term (1).</summary>
    public float LpipsWeight { get; init; } = 1f;

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Steps < 0) throw new InvalidOptionException("--steps", $"must be ≥ 0, got {Steps}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new InvalidOptionException("--lr", $"must be a finite number > 0, got {LearningRate}");
        if (Beta is float b && (!float.IsFinite(b) || b < 0 || b > 10)) throw new InvalidOptionException("--beta", $"must be in [0, 10], got {b}");
        if (!float.IsFinite(DeltaRegWeight) || DeltaRegWeight < 0) throw new InvalidOptionException("deltas regulariser weight", $"must be ≥ 0, got {DeltaRegWeight}");
        if (DeltaLayersToRegularize < 0) throw new InvalidOptionException("deltas regularised layers", $"must be ≥ 0, got {DeltaLayersToRegularize}");
        if (!float.IsFinite(SumToOneRegWeight) || SumToOneRegWeight < 0) throw new InvalidOptionException("sum-to-one regulariser weight", $"must be ≥ 0, got {SumToOneRegWeight}");
        if (!float.IsFinite(MseWeight) || MseWeight < 0) throw new InvalidOptionException("MSE weight", $"must be ≥ 0, got {MseWeight}");
        if (!float.IsFinite(LpipsWeight) || LpipsWeight < 0) throw new InvalidOptionException("LPIPS weight", $"must be ≥ 0, got {LpipsWeight}");
    }

    /// <summary>One line for reports.</summary>
    public string Describe() => FormattableString.Invariant(
        $"{(WPlus ? "alpha+ (per-layer offsets)" : "alpha")}, beta {(Beta is float b ? b.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "none")}, {Steps} steps, Adam lr {LearningRate:G3}, LPIPS-alex + {MseWeight:G3}*MSE + R({DeltaRegWeight:G3}, {SumToOneRegWeight:G3})");
}
