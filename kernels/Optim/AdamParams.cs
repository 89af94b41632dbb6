// The one description of an Adam step, used by the optimiser, both backends and the kernel: the
// step-dependent bias corrections are folded in on the host (in double, as PyTorch does with Python floats).
namespace My3DGen.Kernels;

/// <summary>One Adam step: StepSize = lr / (1 − β1^t), Bc2Sqrt = √(1 − β2^t).</summary>
public struct AdamParams
{
    /// <summary>lr / (1 − β1^t).</summary>
    public float StepSize;
    /// <summary>Decay of the first moment.</summary>
    public float Beta1;
    /// <summary>Decay of the second moment.</summary>
    public float Beta2;
    /// <summary>Added to the corrected √v.</summary>
    public float Eps;
    /// <summary>L2 penalty added to the gradient (0 = none).</summary>
    public float WeightDecay;
    /// <summary>√(1 − β2^t).</summary>
    public float Bc2Sqrt;
    /// <summary>1: the gradient passes through <see cref="Sanitize"/> first (My3DGen's nan_to_num before the step).</summary>
    public int SanitizeGradient;

    /// <summary>My3DGen's gradient sanitising: NaN → 0, +∞ → 1e5, −∞ → −1e5; finite values unchanged. (NaN is tested as
    /// g != g, the one form every ILGPU backend compiles to a plain compare.)</summary>
#pragma warning disable CS1718 // comparison to the same variable: the NaN test
    public static float Sanitize(float g) => g != g ? 0f : g == float.PositiveInfinity ? 1e5f : g == float.NegativeInfinity ? -1e5f : g;
#pragma warning restore CS1718

    /// <summary>Folds the bias corrections of step <paramref name="step"/> (1-based) into the parameters.</summary>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Denominator epsilon.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient (0 = none).</param>
    /// <param name="step">The step being taken, 1-based.</param>
    /// <param name="sanitize">Replace non-finite gradient values as <see cref="Sanitize"/> does before the update.</param>
    public static AdamParams Create(float lr, float beta1, float beta2, float eps, float weightDecay, int step, bool sanitize = false)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), "Adam step is 1-based");
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        return new AdamParams
        {
            StepSize = (float)(lr / bc1), Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay,
            Bc2Sqrt = (float)Math.Sqrt(bc2), SanitizeGradient = sanitize ? 1 : 0,
        };
    }
}
