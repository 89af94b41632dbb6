// StyleGAN2's demodulation coefficients for the modulated-conv kernels, as differentiable tensor ops (small: [N, O]):
// d[n,o] = rsqrt(Σ_{i,t} ((W0 + c·B_a·A_a)[o,i,t]·s[n,i])² + 1e-8) with sample n's adapter a, expanded so that ΔW is
// never formed: ‖W0 s‖² + Σ_j B[o,j]·(2c·M + c²·G·Bᵀ)[j,o] with M = A diag(s²) W0ᵀ and G = A diag(s²) Aᵀ per sample.
// ‖W0 s‖² = s²·qᵀ with q = Σ_t W0² (ModulatedConvolution.WeightSquareSums, kept while W0 is unchanged).
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Synthesis;

internal static class DemodulationCoefficients
{
    /// <summary>d [N, O] for the raw weight [O, I, K, K], styles [N, I] and optional per-sample adapters.</summary>
    public static Tensor Compute(Tensor weight, Tensor styles, ModConvAdapters? lora)
    {
        int n = styles.Shape[0], inC = styles.Shape[1], o = weight.Shape[0], kk = weight.Shape[2] * weight.Shape[3], ik = inC * kk;
        var s2 = styles.Square();                                                                    // [N, I]
        var sum = s2.MatMul(ModulatedConvolution.WeightSquareSums(weight).Transpose(0, 1));         // [N, O] = ‖W0 s‖²
        if (lora != null)
        {
            int q = lora.A.Shape[1];
            float c = lora.Scale;
            var a = PerSample(lora.A.Reshape(lora.A.Shape[0], q, ik), lora.Index);                   // [N, Q, IK]
            var b = PerSample(lora.B, lora.Index);                                                   // [N, O, Q]
            var s2k = kk == 1 ? s2.Reshape(n, 1, ik) : s2.Reshape(n, inC, 1).Expand(n, inC, kk).Reshape(n, 1, ik);
            var as2 = a * s2k;                                                                       // [N, Q, IK] = A diag(s²)
            var m = as2.MatMul(weight.Reshape(o, ik).Transpose(0, 1));                               // [N, Q, O]
            var bt = b.Transpose(1, 2);                                                              // [N, Q, O]
            var gb = as2.MatMul(a.Transpose(1, 2)).MatMul(bt);                                       // [N, Q, O] = G·Bᵀ
            sum = sum + ((m * (2f * c) + gb * (c * c)) * bt).Sum([1]);
        }
        return (sum + 1e-8f).Rsqrt();
    }

    /// <summary>[N, ...] rows of a stack [R, ...] picked by the host-side index (views and one concat, no device read-back).</summary>
    static Tensor PerSample(Tensor stack, IReadOnlyList<int> index)
    {
        bool same = index.All(i => i == index[0]);
        var tail = stack.Shape[1..];
        if (same)
        {
            var one = stack.Slice(0, index[0], 1);
            return one.Expand([index.Count, .. tail]);
        }
        return ShapeOps.Concat(index.Select(i => stack.Slice(0, i, 1)).ToArray(), 0);
    }
}
