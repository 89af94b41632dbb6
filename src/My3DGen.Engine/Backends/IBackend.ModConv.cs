// The modulated-conv kernel family of IBackend (kernels/ModulatedConv): the fused LoRA implicit GEMM (shared raw weight,
// per-sample modulation and adapter index, no ΔW and no per-sample weight copy), the epilogue (bias, noise × strength,
// leaky ReLU, gain, clamp; fused into the conv on plain layers) and their backward. The formula and layouts are in
// ModConvGeometry / ModConvReference; the managed CPU and the ILGPU backends implement them in *.ModConv.cs.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends;

/// <summary>The low-rank adapter inputs of a modulated conv: A [Adapters, Q, I, K, K], B [Adapters, O, Q], the adapter
/// index of each sample [N] (int32 stored bit for bit, as IndexSelect's indices) and the LoRA hidden u [N, Q, OH, OW]
/// (written by the forward, read by the backward).</summary>
public sealed record ModConvLora(Storage A, Storage B, Storage Index, Storage Hidden);

/// <summary>The epilogue inputs: demodulation coefficients d [N, O] (null = 1), bias [O], noise ([EH, EW] or
/// [N, EH, EW], per <see cref="ModConvGeometry.Noise"/>) and the noise strength [1]; absent parts are null.</summary>
public sealed record ModConvEpilogueInputs(Storage? Demod, Storage? Bias, Storage? Noise, Storage? Strength);

public partial interface IBackend
{
    /// <summary>The conv half: raw [N, O, OH, OW] = W ⊛ (s⊙x) + LoraScale·B[idx]·u with u = A[idx] ⊛ (s⊙x) written to
    /// lora.Hidden (lora null when Rank = 0). When <paramref name="y"/> is given (plain layers only), the epilogue is
    /// applied in the same kernel and y [N, O, H, W] written; <paramref name="raw"/> is then optional (kept for the backward).</summary>
    void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y);

    /// <summary>y [N, O, EH, EW] = clamp(act(d·r + strength·noise + bias)·Gain, ±Clamp) for r at the final resolution (the
    /// FIR of the raw output on up layers).</summary>
    void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs epilogue, Storage y);

    /// <summary>Backward of the epilogue, one pass: gr = d·gpre (overwritten, like r) and, per row (n, o), gDemod = Σ gpre·r,
    /// gBiasRows = Σ gpre, gStrengthRows = Σ gpre·noise (each [N, O], overwritten).</summary>
    void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs epilogue, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows);

    /// <summary>gxs [N, I, H, W] (overwritten) = the conv's adjoint applied to graw [N, O, OH, OW]: Wᵀ and, with LoRA,
    /// A[idx]ᵀ of LoraScale·B[idx]ᵀ·graw. The input gradient is s⊙gxs and the styles' Σ_p gxs·x.</summary>
    void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs);

    /// <summary>Accumulates (+=) the factor gradients that are non-null: gWeight [O, I, K, K] (the raw weight, full
    /// fine-tuning), gA [Adapters, Q, I, K, K] and gB [Adapters, O, Q], each sample into its own adapter's slot. The frozen
    /// raw weight of LoRA training passes gWeight = null and costs nothing.</summary>
    void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB);
}
