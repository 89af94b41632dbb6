// Kernel parameters of the modulated conv (blittable ints/floats): the geometry, the epilogue constants, per launch the
// GEMM rows and the grid offsets of a launch cut below 65,535; ModConvTapClass splits the stride-2 transposed conv into
// its four output-parity classes, each a dense correlation over the taps that reach it (no structural zeros).
namespace My3DGen.Kernels;

/// <summary>Epilogue constants: y = clamp(act(d·r + strength·noise + bias)·Gain, ±Clamp) over rows (n, o) of
/// <see cref="Pixels"/> values.</summary>
public struct ModConvEpilogueParams
{
    /// <summary>Output channels (rows per sample).</summary>
    public int O;
    /// <summary>Pixels per row (EH·EW).</summary>
    public int Pixels;
    /// <summary>(int)<see cref="ModConvNoise"/>; None also when no strength is given.</summary>
    public int Noise;
    /// <summary>1 when d [N, O] is given.</summary>
    public int HasDemod;
    /// <summary>1 when bias [O] is given.</summary>
    public int HasBias;
    /// <summary>Gain after the activation.</summary>
    public float Gain;
    /// <summary>Leaky-ReLU slope (1 = linear).</summary>
    public float Slope;
    /// <summary>Clamp bound; ≤ 0 = none.</summary>
    public float Clamp;

    /// <summary>The constants of <paramref name="g"/> with the inputs that are present.</summary>
    public static ModConvEpilogueParams Of(in ModConvGeometry g, bool demod, bool bias, bool noise) => new()
    {
        O = g.O, Pixels = g.EH * g.EW, Noise = noise ? (int)g.Noise : 0, HasDemod = demod ? 1 : 0, HasBias = bias ? 1 : 0,
        Gain = g.Gain, Slope = g.Slope, Clamp = g.Clamp,
    };
}

/// <summary>One launch of an implicit-GEMM modulated-conv kernel (forward, input gradient or factor gradient).</summary>
public struct ModConvPass
{
    /// <summary>Bit of <see cref="Flags"/>: the weight rows come from A[index[n]] (the LoRA hidden pass), not the shared W.</summary>
    public const int PerSampleWeight = 1;
    /// <summary>Bit of <see cref="Flags"/>: add LoraScale·Σ_j B[index[n]][o,j]·u[n,j,q] (forward main pass).</summary>
    public const int LoraTerm = 2;
    /// <summary>Bit of <see cref="Flags"/>: write the raw output.</summary>
    public const int WriteOut = 4;
    /// <summary>Bit of <see cref="Flags"/>: apply the epilogue and write y (plain layers).</summary>
    public const int WriteY = 8;

    /// <summary>Geometry (see <see cref="ModConvGeometry"/>); Q = LoRA rows (Rank).</summary>
    public int I, O, H, W, K, Up, Q;
    /// <summary>The LoRA scaling α/r.</summary>
    public float LoraScale;
    /// <summary>Rows of this pass's GEMM (output channels: O, Q, I, or the factor-gradient rows).</summary>
    public int Rows;
    /// <summary>Factor gradient: first row of the stacked [graw; gu] channels this pass covers (0 or O).</summary>
    public int RowBegin;
    /// <summary>Grid offsets of this launch: first row tile (grid Y) and first z (grid Z).</summary>
    public int RowTile0, Z0;
    /// <summary>Output-parity classes: 1 (plain) or 4 (up).</summary>
    public int Classes;
    /// <summary>Factor gradient: pixel chunks per sample (split-K) and pixels per chunk.</summary>
    public int Chunks, ChunkPixels;
    /// <summary><see cref="PerSampleWeight"/> | <see cref="LoraTerm"/> | <see cref="WriteOut"/> | <see cref="WriteY"/>.</summary>
    public int Flags;
    /// <summary>Epilogue constants (forward with <see cref="WriteY"/>).</summary>
    public ModConvEpilogueParams Epilogue;

    /// <summary>Raw output height / width.</summary>
    public readonly int OH => Up == 2 ? 2 * H + 1 : H;
    /// <summary>Raw output width.</summary>
    public readonly int OW => Up == 2 ? 2 * W + 1 : W;
    /// <summary>Raw output pixels.</summary>
    public readonly int P => OH * OW;
    /// <summary>Taps per channel.</summary>
    public readonly int Taps => K * K;
    /// <summary>Input pixels.</summary>
    public readonly int HW => H * W;
    /// <summary>Whether bit <paramref name="flag"/> is set.</summary>
    public readonly bool Has(int flag) => (Flags & flag) != 0;

    /// <summary>The geometry part of <paramref name="g"/> (no launch fields set).</summary>
    public static ModConvPass Of(in ModConvGeometry g) => new()
    {
        I = g.I, O = g.O, H = g.H, W = g.W, K = g.K, Up = g.Up, Q = g.Rank, LoraScale = g.LoraScale,
        Classes = g.Up == 2 ? 4 : 1, Chunks = 1,
    };
}

/// <summary>One output-parity class of the conv: its output pixels (qy, qx) = (QStride·cy + PY, QStride·cx + PX) for
/// cy &lt; Rows, cx &lt; Cols, and its taps (ty, tx) = (Ty0 + TStep·a, Tx0 + TStep·b) for a &lt; TyCount, b &lt; TxCount,
/// which read input (cy + Sign·a + Off, cx + Sign·b + Off). Plain: one class, all K² taps, stride 1, padding K/2.
/// Up (stride-2 transposed 3×3): class (PY, PX) ∈ {0,1}², taps {0,2} for parity 0 and {1} for parity 1.</summary>
internal struct ModConvTapClass
{
    public int PY, PX, Ty0, Tx0, TStep, QStride, Sign, Off, TyCount, TxCount, Rows, Cols;

    /// <summary>Taps in this class.</summary>
    public readonly int Taps => TyCount * TxCount;
    /// <summary>Output pixels in this class.</summary>
    public readonly int Pixels => Rows * Cols;

    /// <summary>Class <paramref name="c"/> of the pass's conv.</summary>
    public static ModConvTapClass Of(in ModConvPass p, int c)
    {
        var t = new ModConvTapClass();
        if (p.Up != 2)
        {
            t.TStep = 1; t.QStride = 1; t.Sign = 1; t.Off = -(p.K / 2);
            t.TyCount = p.K; t.TxCount = p.K; t.Rows = p.H; t.Cols = p.W;
            return t;
        }
        t.PY = c >> 1; t.PX = c & 1; t.Ty0 = t.PY; t.Tx0 = t.PX; t.TStep = 2; t.QStride = 2; t.Sign = -1; t.Off = 0;
        t.TyCount = t.PY == 0 ? 2 : 1; t.TxCount = t.PX == 0 ? 2 : 1;
        t.Rows = t.PY == 0 ? p.H + 1 : p.H; t.Cols = t.PX == 0 ? p.W + 1 : p.W;
        return t;
    }

    /// <summary>The tap index ty·K + tx of class tap r = a·TxCount + b.</summary>
    public readonly int Tap(int r, int k)
    {
        int a = r / TxCount, b = r - a * TxCount;
        return (Ty0 + TStep * a) * k + Tx0 + TStep * b;
    }
}

/// <summary>The deterministic sum of per-sample partial results into one output (shared) or into each sample's adapter
/// slot: out[slot·Count + e] += Σ_{n in order (with index[n] = slot unless Shared)} Σ_{c &lt; Chunks}
/// partial[(n·Chunks + c)·Stride + Offset + e].</summary>
public struct ModConvSplitSum
{
    /// <summary>Elements per output slot.</summary>
    public int Count;
    /// <summary>Output slots (1 when <see cref="Shared"/>, else the adapters).</summary>
    public int Slots;
    /// <summary>1: every sample adds into the one output; 0: each sample into slot index[n].</summary>
    public int Shared;
    /// <summary>Samples and chunks per sample.</summary>
    public int Samples, Chunks;
    /// <summary>Elements per partial block, and the first element read in each.</summary>
    public long Stride, Offset;
}
