// Winograd F(4×4, 3×3)-transformed 3×3 weights, written straight into the GEMM's packed-A layout: 36 matrices
// U_ξ[outC, inC] = (G·g·Gᵀ)_ξ, each as SimdGemm.PrepackA would leave it, so the 36 GEMMs per chunk never repack the
// weights. Built once per call by CpuWinograd3x3.Forward, or once per weight tensor by a caller that caches it.
using System.Runtime.Intrinsics;
using T = My3DGen.Engine.Backends.Cpu.CpuWinogradTransforms;

namespace My3DGen.Engine.Backends.Cpu;

internal sealed unsafe class CpuWinogradWeights : IDisposable
{
    /// <summary>Channels of the convolution these weights serve (its x and y channel counts).</summary>
    public int InC { get; }
    public int OutC { get; }
    /// <summary>Floats between consecutive packed U_ξ.</summary>
    internal long Stride { get; }
    /// <summary>The GEMM micro-kernel whose packing layout the matrices use.</summary>
    internal SimdGemmMicroKernel Kernel { get; }
    private float[]? _packed;

    private CpuWinogradWeights(int inC, int outC)
    {
        InC = inC;
        OutC = outC;
        Kernel = SimdGemmMicroKernel.Active;
        Stride = SimdGemmDriver.PackedASize(Kernel, outC, inC);
        _packed = CpuArrayRecycler.Rent(checked((int)PackedFloats(inC, outC)));
    }

    /// <summary>Floats the 36 packed matrices of a conv with these channel counts take (for the active GEMM kernel).</summary>
    internal static long PackedFloats(int inC, int outC) => 36 * SimdGemmDriver.PackedASize(SimdGemmMicroKernel.Active, outC, inC);

    /// <summary>The packed matrices (pin with fixed while in use).</summary>
    internal float[] Packed => _packed ?? throw new ObjectDisposedException(nameof(CpuWinogradWeights));

    /// <summary>
    /// Transforms weight [outC, inC, 3, 3] (adjoint = false), or for the adjoint a forward conv's weight [inC, outC, 3, 3]
    /// read transposed and rotated by 180°, into the 36 packed matrices U_ξ[o, i]. Parallel over output-channel blocks.
    /// </summary>
    public static CpuWinogradWeights Create(int inC, int outC, float* weight, bool adjoint)
    {
        if (inC <= 0 || outC <= 0) throw new ArgumentOutOfRangeException(nameof(inC), "Channel counts must be positive.");
        var u = new CpuWinogradWeights(inC, outC);
        var k = u.Kernel;
        int kcBlock = SimdGemmDriver.KBlock(k, inC), MR = k.MR, mPad = (outC + MR - 1) / MR * MR;
        long stride = u.Stride;
        // Lanes are 16 consecutive output channels o; their 9 taps lie laneStride floats apart.
        long laneStride = adjoint ? 9 : 9L * inC;
        int blocks = (outC + T.Lanes - 1) / T.Lanes;
        nint pw = (nint)weight;
        fixed (float* packed = u.Packed)
        {
            nint pp = (nint)packed;
            int threads = Math.Clamp((int)Math.Min(blocks, (long)blocks * inC / 256), 1, Math.Max(1, SimdGemm.MaxThreads));
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, wk =>
            {
                var tmp = stackalloc float[Group * 36 * T.Lanes];
                float* w = (float*)pw, dst = (float*)pp;
                for (int blk = blocks * wk / threads; blk < blocks * (wk + 1) / threads; blk++)
                {
                    int o0 = blk * T.Lanes, count = Math.Min(T.Lanes, outC - o0);
                    // Groups of up to 8 input channels inside one K slice: their packed rows are contiguous per panel.
                    for (int pc = 0; pc < inC; pc += kcBlock)
                    {
                        int kc = Math.Min(kcBlock, inC - pc);
                        for (int i0 = pc; i0 < pc + kc; i0 += Group)
                        {
                            int group = Math.Min(Group, pc + kc - i0);
                            for (int g = 0; g < group; g++)
                            {
                                int i = i0 + g;
                                float* src = adjoint ? w + ((long)i * outC + o0) * 9 : w + ((long)o0 * inC + i) * 9;
                                T.Weight(src, laneStride, adjoint, count, tmp + g * 36 * T.Lanes);
                            }
                            // Packed-A position of (o, i): K slice pc, MR-row panel of o, row o % MR of k-step i − pc.
                            float* kBase = dst + (long)pc * mPad + (long)(i0 - pc) * MR;
                            Scatter(tmp, group, kBase, stride, o0, Math.Min(T.Lanes, mPad - o0), MR, kc);
                        }
                    }
                }
            });
        }
        return u;
    }

    /// <summary>Input channels transformed before one scatter into the packed matrices.</summary>
    private const int Group = 8;

    /// <summary>
    /// Writes lanes [0, lanes) of tmp[g][ξ][l] (g &lt; group consecutive input channels) to packed rows o0 + l of every
    /// U_ξ: element (o, i0 + g) sits at kBase + ξ·stride + (o / MR)·MR·kc + g·MR + o % MR.
    /// </summary>
    private static void Scatter(float* tmp, int group, float* kBase, long stride, int o0, int lanes, int MR, int kc)
    {
        for (int xi = 0; xi < 36; xi++)
        {
            float* dst = kBase + xi * stride;
            float* src = tmp + xi * T.Lanes;
            if (MR == 8 && o0 % 8 == 0)
            {
                float* panel = dst + (long)(o0 / 8) * 8 * kc;
                for (int g = 0; g < group; g++) Vector256.Load(src + g * 36 * T.Lanes).Store(panel + g * 8);
                if (lanes <= 8) continue;
                panel += 8L * kc;
                for (int g = 0; g < group; g++) Vector256.Load(src + g * 36 * T.Lanes + 8).Store(panel + g * 8);
                continue;
            }
            for (int g = 0; g < group; g++)
                for (int l = 0; l < lanes; l++)
                {
                    int o = o0 + l;
                    dst[(long)(o / MR) * MR * kc + g * MR + o % MR] = src[g * 36 * T.Lanes + l];
                }
        }
    }

    /// <summary>Returns the storage; the weights must not be used afterwards.</summary>
    public void Dispose()
    {
        var p = Interlocked.Exchange(ref _packed, null);
        if (p != null) CpuArrayRecycler.Return(p);
    }
}
