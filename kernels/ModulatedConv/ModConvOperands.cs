// The operand gathers of the three modulated-conv implicit GEMMs (forward W·(s⊙x), input gradient [W; A]ᵀ·[graw; gu],
// factor gradient [graw; gu]·(s⊙x)ᵀ per class and pixel chunk) for ModConvCore.Accumulate. Sample offsets are 64-bit;
// per-sample spans (I·H·W, O·I·K²) are checked below int32 by the host.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Forward: A = weight rows [Rows, I·K²] (W, or A[index[n]] for the hidden pass), B = s[n,i]·x[n,i, tap-shifted]
/// for one tap class (k = i·taps + class tap, c = pixel of the class).</summary>
internal struct ForwardOperands : IModConvOperands
{
    public ArrayView<float> X, S, Weight;
    public ModConvTapClass C;
    public long XBase, WBase;
    public int SBase, Rows, KTotal, I, H, W, K;
    int _cy, _cx;
    bool _col;

    public readonly bool BAlongK => false;

    public void SetColumn(int c)
    {
        _col = c < C.Pixels;
        _cy = c / C.Cols; _cx = c - _cy * C.Cols;
    }

    public readonly float A(int m, int k)
    {
        if (m >= Rows || k >= KTotal) return 0f;
        long row = WBase + (long)m * I * K * K;
        if (C.TStep == 1) return Weight[row + k];              // plain: every tap, so k = i·K² + t is the weight column
        int tc = C.Taps, i = k / tc;
        return Weight[row + i * K * K + C.Tap(k - i * tc, K)];
    }

    public readonly float B(int k, int c)
    {
        if (k >= KTotal || !_col) return 0f;
        int tc = C.Taps, i = k / tc, r = k - i * tc, a = r / C.TxCount, b = r - a * C.TxCount;
        int iy = _cy + C.Sign * a + C.Off, ix = _cx + C.Sign * b + C.Off;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) return 0f;
        return S[SBase + i] * X[XBase + (i * H + iy) * W + ix];
    }
}

/// <summary>Input gradient: A[i, (c, t)] = W[c, i, t] for c &lt; O, A[index[n]][c − O, i, t] after; B[(c, t), p] =
/// graw[n, c] (or gu[n, c − O]) at the raw pixel that tap t of input pixel p feeds (plain: p − t + K/2; up: 2p + t).</summary>
internal struct DataOperands : IModConvOperands
{
    public ArrayView<float> Weight, LoraA, Graw, Gu;
    public long ABase, GrawBase, GuBase;
    public int Rows, KTotal, I, O, H, W, K, OH, OW, Stride, Sign, Off;
    int _qy, _qx;
    bool _col;

    public readonly bool BAlongK => false;

    public void SetColumn(int p)
    {
        _col = p < H * W;
        int iy = p / W;
        _qy = Stride * iy + Off; _qx = Stride * (p - iy * W) + Off;
    }

    public readonly float A(int m, int k)
    {
        if (m >= Rows || k >= KTotal) return 0f;
        int taps = K * K, c = k / taps, t = k - c * taps;
        return c < O ? Weight[((long)c * I + m) * taps + t] : LoraA[ABase + ((long)(c - O) * I + m) * taps + t];
    }

    public readonly float B(int k, int p)
    {
        if (k >= KTotal || !_col) return 0f;
        int taps = K * K, c = k / taps, t = k - c * taps, ty = t / K, tx = t - ty * K;
        int qy = _qy + Sign * ty, qx = _qx + Sign * tx;
        if (qy < 0 || qy >= OH || qx < 0 || qx >= OW) return 0f;
        int q = qy * OW + qx;
        long plane = (long)OH * OW;
        return c < O ? Graw[GrawBase + c * plane + q] : Gu[GuBase + (c - O) * plane + q];
    }
}

/// <summary>Factor gradient of one sample, tap class and pixel chunk: A[m, r] = [graw; gu][n, RowBegin + m] at class
/// pixel r, B[r, (i, class tap)] = s[n,i]·x[n,i] at the input that tap reads for pixel r.</summary>
internal struct WeightGradOperands : IModConvOperands
{
    public ArrayView<float> X, S, Graw, Gu;
    public ModConvTapClass C;
    public long XBase, GrawBase, GuBase;
    public int SBase, Rows, RowBegin, KTotal, PixelBase, I, O, H, W, OW, Plane;

    public readonly bool BAlongK => true;

    public readonly void SetColumn(int c) { }

    /// <summary>The raw-output pixel of chunk pixel <paramref name="k"/>.</summary>
    readonly int Pixel(int k, out int cy, out int cx)
    {
        int r = PixelBase + k;
        cy = r / C.Cols; cx = r - cy * C.Cols;
        return (C.QStride * cy + C.PY) * OW + C.QStride * cx + C.PX;
    }

    public readonly float A(int m, int k)
    {
        if (m >= Rows || k >= KTotal) return 0f;
        int q = Pixel(k, out _, out _), ch = RowBegin + m;
        return ch < O ? Graw[GrawBase + (long)ch * Plane + q] : Gu[GuBase + (long)(ch - O) * Plane + q];
    }

    public readonly float B(int k, int c)
    {
        int tc = C.Taps;
        if (k >= KTotal || c >= I * tc) return 0f;
        int i = c / tc, r = c - i * tc, a = r / C.TxCount, b = r - a * C.TxCount;
        Pixel(k, out int cy, out int cx);
        int iy = cy + C.Sign * a + C.Off, ix = cx + C.Sign * b + C.Off;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) return 0f;
        return S[SBase + i] * X[XBase + (i * H + iy) * W + ix];
    }
}
