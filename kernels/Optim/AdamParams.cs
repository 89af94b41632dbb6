// Kernel-side Adam hyper-parameters with the step-dependent bias corrections folded in on the host
// (in double, as PyTorch does with Python floats).
namespace My3DGen.Kernels;

/// <summary>One Adam step: StepSize = lr / (1 − β1^t), Bc2Sqrt = √(1 − β2^t).</summary>
public struct AdamParams
{
    public float StepSize, Beta1, Beta2, Eps, WeightDecay, Bc2Sqrt;

    /// <summary>Folds the bias corrections of step <paramref name="step"/> (1-based) into the parameters.</summary>
    public static AdamParams Create(float lr, float beta1, float beta2, float eps, float weightDecay, int step)
    {
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        return new AdamParams
        {
            StepSize = (float)(lr / bc1), Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay,
            Bc2Sqrt = (float)Math.Sqrt(bc2),
        };
    }
}
