// The one description of a StyleGAN2/EG3D modulated convolution as the kernel family computes it (spec §3.4-3.5, §10.3):
// modulate the input, convolve with the shared raw weight (plus a per-sample low-rank adapter), demodulate the output,
// then the epilogue. Written "modulate x, demodulate y" instead of per-sample weights, which is the same sum:
//   xs[n,i,·]  = s[n,i]·x[n,i,·]
//   u[n,j,q]   = Σ_{i,t} A[a_n][j,i,t]·xs[n,i,q⊕t]                                  (LoRA hidden, Q rows)
//   raw[n,o,q] = Σ_{i,t} W[o,i,t]·xs[n,i,q⊕t] + LoraScale·Σ_j B[a_n][o,j]·u[n,j,q]   (plain: stride 1, padding K/2;
//                                                                                  up: stride-2 transposed 3×3, (2H+1)²)
//   y[n,o,p]   = clamp(act(d[n,o]·r[n,o,p] + strength·noise[(n),p] + bias[o])·Gain, ±Clamp)
// where r = raw (plain) or FIR(raw) (up, EG3D's [1,3,3,1] filter, see FirGeometry), act = leaky ReLU with Slope
// (1 = linear) and d the demodulation coefficients (1 when absent). ΔW = B·A and per-sample weights are never formed.
namespace My3DGen.Kernels;

/// <summary>How the noise input of the epilogue is laid out.</summary>
public enum ModConvNoise
{
    /// <summary>No noise term.</summary>
    None = 0,
    /// <summary>One map [EH, EW] shared by the batch.</summary>
    Shared = 1,
    /// <summary>One map per sample [N, EH, EW].</summary>
    PerSample = 2,
}

/// <summary>Sizes and epilogue constants of one modulated convolution (see the file header for the formula).</summary>
public readonly record struct ModConvGeometry
{
    /// <summary>Batch.</summary>
    public int N { get; init; }
    /// <summary>Input channels.</summary>
    public int I { get; init; }
    /// <summary>Output channels.</summary>
    public int O { get; init; }
    /// <summary>Input height.</summary>
    public int H { get; init; }
    /// <summary>Input width.</summary>
    public int W { get; init; }
    /// <summary>Kernel side: 1 or 3.</summary>
    public int K { get; init; }
    /// <summary>1 (stride-1 conv, padding K/2) or 2 (stride-2 transposed 3×3 conv, no padding: EG3D's ×2 up before the FIR).</summary>
    public int Up { get; init; }
    /// <summary>LoRA rows per adapter (Q = 3r for 3×3 layers, r for 1×1); 0 = no adapter.</summary>
    public int Rank { get; init; }
    /// <summary>Adapters stacked in A [Adapters, Q, I, K, K] and B [Adapters, O, Q]; sample n uses adapter index[n].</summary>
    public int Adapters { get; init; }
    /// <summary>The LoRA scaling α/r.</summary>
    public float LoraScale { get; init; }
    /// <summary>Epilogue gain (√2 after leaky ReLU in synthesis layers, 1 in ToRGB).</summary>
    public float Gain { get; init; }
    /// <summary>Leaky-ReLU slope for negative inputs (0.2); 1 = linear.</summary>
    public float Slope { get; init; }
    /// <summary>Clamp after the gain; 0 or negative = no clamp.</summary>
    public float Clamp { get; init; }
    /// <summary>Whether a bias [O] is added.</summary>
    public bool HasBias { get; init; }
    /// <summary>Noise layout.</summary>
    public ModConvNoise Noise { get; init; }

    /// <summary>Raw output height: H (plain) or 2H+1 (up).</summary>
    public int OH => Up == 2 ? 2 * H + 1 : H;
    /// <summary>Raw output width: W (plain) or 2W+1 (up).</summary>
    public int OW => Up == 2 ? 2 * W + 1 : W;
    /// <summary>Epilogue (final) height: H (plain) or 2H (up, after the FIR).</summary>
    public int EH => Up == 2 ? 2 * H : H;
    /// <summary>Epilogue (final) width.</summary>
    public int EW => Up == 2 ? 2 * W : W;
    /// <summary>Taps per channel (K²).</summary>
    public int Taps => K * K;

    /// <summary>Elements of x and of the input gradient [N, I, H, W].</summary>
    public long InputLength => (long)N * I * H * W;
    /// <summary>Elements of the raw output [N, O, OH, OW].</summary>
    public long RawLength => (long)N * O * OH * OW;
    /// <summary>Elements of the final output [N, O, EH, EW].</summary>
    public long OutputLength => (long)N * O * EH * EW;
    /// <summary>Elements of the LoRA hidden u [N, Q, OH, OW].</summary>
    public long HiddenLength => (long)N * Rank * OH * OW;
    /// <summary>Elements of the raw weight [O, I, K, K].</summary>
    public long WeightLength => (long)O * I * K * K;
    /// <summary>Elements of the stacked A [Adapters, Q, I, K, K].</summary>
    public long LoraALength => (long)Adapters * Rank * I * K * K;
    /// <summary>Elements of the stacked B [Adapters, O, Q].</summary>
    public long LoraBLength => (long)Adapters * O * Rank;
    /// <summary>True when the epilogue can run inside the conv kernel (plain layers; the up path needs the FIR first).</summary>
    public bool EpilogueFusable => Up == 1;

    /// <summary>Multiply-adds of the forward conv (base + LoRA), for FLOP counts: 2 FLOP each.</summary>
    public long ForwardMacs => ((long)O + Rank) * I * Taps * H * W * N + (long)N * O * Rank * OH * OW;

    /// <summary>Throws ArgumentException naming the first inconsistent size.</summary>
    public void Validate()
    {
        if (N <= 0 || I <= 0 || O <= 0 || H <= 0 || W <= 0) throw new ArgumentException($"modulated conv: non-positive size in {this}");
        if (K != 1 && K != 3) throw new ArgumentException($"modulated conv: kernel side {K} (1 or 3 supported)");
        if (Up != 1 && (Up != 2 || K != 3)) throw new ArgumentException($"modulated conv: up {Up} with a {K}×{K} kernel (×2 up needs 3×3)");
        if (Rank < 0 || (Rank > 0 && Adapters <= 0)) throw new ArgumentException($"modulated conv: LoRA rank {Rank} with {Adapters} adapters");
        if (Gain <= 0 || Slope <= 0 || Slope > 1) throw new ArgumentException($"modulated conv: gain {Gain} / slope {Slope} out of range");
    }
}
