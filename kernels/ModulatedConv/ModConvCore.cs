// Device functions of the modulated-conv kernels: the one epilogue formula (fused conv, standalone epilogue, backward)
// and the implicit-GEMM main loop: 64×64 tile per 16×16 group (4×4 per thread), K slices of 16 in double-buffered
// shared memory, operands gathered by an IModConvOperands struct (no im2col buffer).
using System.Runtime.CompilerServices;
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>The two operands of an implicit GEMM C[m, c] = Σ_k A[m, k]·B[k, c]; both return 0 outside the problem.</summary>
internal interface IModConvOperands
{
    /// <summary>True when B is contiguous along k (the tile is then loaded k-fastest across threads), false when along c.</summary>
    bool BAlongK { get; }
    /// <summary>Called once per thread before the loop when B runs along c: the one column this thread loads, so its
    /// decomposition can be hoisted out of the K loop (B is then called with that column only).</summary>
    void SetColumn(int c);
    /// <summary>A[m, k] (0 when m or k is out of range).</summary>
    float A(int m, int k);
    /// <summary>B[k, c] (0 when k or c is out of range).</summary>
    float B(int k, int c);
}

/// <summary>Epilogue formula and implicit-GEMM main loop of the modulated-conv kernels.</summary>
internal static class ModConvCore
{
    /// <summary>Threads per group side (group = Side × Side).</summary>
    public const int Side = 16;
    /// <summary>Output tile edge (rows and columns).</summary>
    public const int Tile = 64;
    /// <summary>K depth of one shared-memory stage.</summary>
    public const int Slice = 16;
    const int Stage = Tile * Slice;   // floats per operand per buffer

    /// <summary>d[n,o]·r + strength·noise + bias[o] for row (n, o) and epilogue pixel <paramref name="pixel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PreActivation(in ModConvEpilogueParams e, ArrayView<float> d, ArrayView<float> bias, ArrayView<float> noise,
        ArrayView<float> strength, int n, int o, long pixel, float r)
    {
        float v = e.HasDemod != 0 ? d[(long)n * e.O + o] * r : r;
        if (e.Noise == (int)ModConvNoise.Shared) v += strength[0] * noise[pixel];
        else if (e.Noise == (int)ModConvNoise.PerSample) v += strength[0] * noise[(long)n * e.Pixels + pixel];
        if (e.HasBias != 0) v += bias[o];
        return v;
    }

    /// <summary>clamp(act(pre)·Gain, ±Clamp) (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Activate(in ModConvEpilogueParams e, float pre)
    {
        float v = (pre < 0f ? pre * e.Slope : pre) * e.Gain;
        if (e.Clamp > 0f) v = v > e.Clamp ? e.Clamp : v < -e.Clamp ? -e.Clamp : v;
        return v;
    }

    /// <summary>The epilogue of one value: Activate(PreActivation(...)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Epilogue(in ModConvEpilogueParams e, ArrayView<float> d, ArrayView<float> bias, ArrayView<float> noise,
        ArrayView<float> strength, int n, int o, long pixel, float r) =>
        Activate(e, PreActivation(e, d, bias, noise, strength, n, o, pixel, r));

    /// <summary>∂y/∂pre·gy: gy·Gain·act'(pre), 0 where the clamp is active.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PreActivationGradient(in ModConvEpilogueParams e, float pre, float gy)
    {
        float act = (pre < 0f ? pre * e.Slope : pre) * e.Gain;
        if (e.Clamp > 0f && (act > e.Clamp || act < -e.Clamp)) return 0f;
        return gy * e.Gain * (pre < 0f ? e.Slope : 1f);
    }

    /// <summary>The 64×64 tile at (<paramref name="row0"/>, <paramref name="col0"/>) of Σ_k A·B over k &lt; <paramref name="kTotal"/>,
    /// thread (tx, ty) holding rows row0 + ty + 16i and columns col0 + tx + 16j. Group (16, 16); every thread must call it.
    /// Slice s+1 is fetched into registers while slice s is multiplied from shared memory (one barrier per slice).</summary>
    public static Accumulator4x4 Accumulate<T>(ref T ops, int row0, int col0, int kTotal) where T : struct, IModConvOperands
    {
        var sa = SharedMemory.Allocate<float>(2 * Stage);   // [buffer][m][k]
        var sb = SharedMemory.Allocate<float>(2 * Stage);   // [buffer][k][c]
        var acc = new Accumulator4x4();
        int tx = Group.IdxX, ty = Group.IdxY, tid = ty * Side + tx;
        // A: rows am + 16l, depth ak. B: (bk, bc + 16l) when B runs along k, else (bk + 4l, bc).
        int am = tid >> 4, ak = tid & 15;
        bool alongK = ops.BAlongK;
        int bk = alongK ? tid & 15 : tid >> 6, bc = alongK ? tid >> 4 : tid & 63;
        int bkStep = alongK ? 0 : 4, bcStep = alongK ? 16 : 0;
        if (!alongK) ops.SetColumn(col0 + bc);
        int ra = am * Slice + ak, rb = bk * Tile + bc;                   // store offsets of l = 0
        int raStep = 16 * Slice, rbStep = bkStep * Tile + bcStep;

        float a0 = ops.A(row0 + am, ak), a1 = ops.A(row0 + am + 16, ak), a2 = ops.A(row0 + am + 32, ak), a3 = ops.A(row0 + am + 48, ak);
        float b0 = ops.B(bk, col0 + bc), b1 = ops.B(bk + bkStep, col0 + bc + bcStep),
              b2 = ops.B(bk + 2 * bkStep, col0 + bc + 2 * bcStep), b3 = ops.B(bk + 3 * bkStep, col0 + bc + 3 * bcStep);
        sa[ra] = a0; sa[ra + raStep] = a1; sa[ra + 2 * raStep] = a2; sa[ra + 3 * raStep] = a3;
        sb[rb] = b0; sb[rb + rbStep] = b1; sb[rb + 2 * rbStep] = b2; sb[rb + 3 * rbStep] = b3;
        Group.Barrier();

        int buf = 0;
        for (int k0 = 0; k0 < kTotal; k0 += Slice)
        {
            int next = k0 + Slice;
            bool more = next < kTotal;
            if (more)
            {
                int ka = next + ak, kb = next + bk;
                a0 = ops.A(row0 + am, ka); a1 = ops.A(row0 + am + 16, ka); a2 = ops.A(row0 + am + 32, ka); a3 = ops.A(row0 + am + 48, ka);
                b0 = ops.B(kb, col0 + bc); b1 = ops.B(kb + bkStep, col0 + bc + bcStep);
                b2 = ops.B(kb + 2 * bkStep, col0 + bc + 2 * bcStep); b3 = ops.B(kb + 3 * bkStep, col0 + bc + 3 * bcStep);
            }
            int ao = buf * Stage + ty * Slice, bo = buf * Stage + tx;
            for (int kk = 0; kk < Slice; kk++)
            {
                int ar = ao + kk, br = bo + kk * Tile;
                acc.Fma(sa[ar], sa[ar + 16 * Slice], sa[ar + 32 * Slice], sa[ar + 48 * Slice],
                        sb[br], sb[br + 16], sb[br + 32], sb[br + 48]);
            }
            if (more)
            {
                int o = (buf ^ 1) * Stage;
                sa[o + ra] = a0; sa[o + ra + raStep] = a1; sa[o + ra + 2 * raStep] = a2; sa[o + ra + 3 * raStep] = a3;
                sb[o + rb] = b0; sb[o + rb + rbStep] = b1; sb[o + rb + 2 * rbStep] = b2; sb[o + rb + 3 * rbStep] = b3;
            }
            Group.Barrier();
            buf ^= 1;
        }
        return acc;
    }
}
