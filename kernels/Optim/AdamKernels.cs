// ILGPU Adam kernel with PyTorch's exact update order (torch.optim.Adam, non-fused, amsgrad off):
// g = nan_to_num(g) when asked; g += wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= StepSize·m / (√v / Bc2Sqrt + eps).
using ILGPU;
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Adam kernel; reference: <see cref="AdamReference"/>.</summary>
internal static class AdamKernels
{
    /// <summary>Updates p, m, v in place over n elements (g is read only).</summary>
    public static void Step(ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, int n, AdamParams a)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            float pi = p[i], gi = g[i];
            if (a.SanitizeGradient != 0) gi = AdamParams.Sanitize(gi);
            if (a.WeightDecay != 0f) gi += a.WeightDecay * pi;
            float mi = m[i] + (1f - a.Beta1) * (gi - m[i]); // torch.optim.Adam updates m with a lerp
            float vi = a.Beta2 * v[i] + (1f - a.Beta2) * gi * gi;
            m[i] = mi; v[i] = vi;
            p[i] = pi - a.StepSize * mi / (XMath.Sqrt(vi) / a.Bc2Sqrt + a.Eps);
        }
    }
}
