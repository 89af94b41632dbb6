// StyleGAN2's fused modulated convolution: per-sample weights W·s (optionally demodulated) applied as one
// grouped conv with groups = N. The ×2 up path (spec §3.5) is computed as EG3D computes it: a stride-2 transposed 3×3
// conv to (2H+1)×(2W+1), then the [1,3,3,1] FIR (gain 4, padding 1) with the bias in the same pass. The former sub-pixel
// form (four parity kernels of the composed 3×3⊗FIR weights, 4× the multiply-adds) stays selectable as the reference.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Synthesis;

/// <summary>How the ×2 up-conv is computed: <see cref="Transposed"/> as EG3D (the default), or <see cref="SubPixel"/>, the
/// previous exact but 4× costlier form kept as the reference and for side-by-side timing.</summary>
internal enum UpConvPath
{
    /// <summary>Stride-2 transposed 3×3 conv + [1,3,3,1] FIR.</summary>
    Transposed,
    /// <summary>Four parity 3×3 kernels of the composed weights at the input resolution + pixel shuffle.</summary>
    SubPixel,
}

internal static class ModulatedConv2d
{
    /// <summary>The ×2 up-conv path this thread's layers take: <see cref="UpConvPath.Transposed"/> unless inside <see cref="UsePath"/>.</summary>
    internal static UpConvPath UpPath => ThreadChoice<UpConvPath>.Current(UpConvPath.Transposed);

    /// <summary>Selects the up-conv path on this thread until the returned scope is disposed (reference tests, side-by-side bench).</summary>
    internal static IDisposable UsePath(UpConvPath path) => ThreadChoice<UpConvPath>.Use(path);

    /// <summary>y [N,O,H·up,W·up] = modconv(x [N,I,H,W], weight [O,I,k,k], styles [N,I]) (+ bias [O], added after the conv);
    /// k = 1 or 3, up = 1 or 2 (k = 3 only).</summary>
    /// <param name="x">Input [N,I,H,W].</param>
    /// <param name="weight">Raw weight [O,I,k,k].</param>
    /// <param name="styles">Per-sample styles [N,I].</param>
    /// <param name="demodulate">Normalise each output channel's per-sample weight to unit norm.</param>
    /// <param name="up">1, or 2 for the ×2 up-conv.</param>
    /// <param name="bias">Optional bias [O].</param>
    /// <param name="gain">Positive factor folded into the per-sample weights (used to pull lrelu's √2 gain into the conv).</param>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor styles, bool demodulate, int up = 1, Tensor? bias = null, float gain = 1f)
    {
        int n = x.Shape[0], inC = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = weight.Shape[0], k = weight.Shape[2];
        if (weight.Shape[1] != inC || styles.Shape[0] != n || styles.Shape[1] != inC)
            throw new ArgumentException($"modulated conv: x [{string.Join(",", x.Shape)}], weight [{string.Join(",", weight.Shape)}], styles [{string.Join(",", styles.Shape)}] do not match");
        int kk = k * k;
        // Styles repeated per kernel tap so the modulation broadcasts over a leading axis only (the engine's SIMD path).
        var sk = kk == 1 ? styles.Reshape(n, 1, inC) : styles.Reshape(n, inC, 1).Expand(n, inC, kk).Reshape(n, 1, inC * kk);
        var w = weight.Reshape(1, o, inC * kk) * sk;                                            // [N, O, I·k²] = W·s
        Tensor? outScale = null;
        if (demodulate)
        {
            var d = ((w * w).Sum([2]) + 1e-8f).Rsqrt();                                          // [N, O]
            if (gain != 1f) d = d * gain;
            // Scale whichever is smaller: the per-sample weights (fused, as EG3D) or the conv output (low resolutions).
            if ((long)h * wd * up * up < (long)inC * kk) outScale = d.Reshape(n, o, 1, 1);
            else w = w * d.Reshape(n, o, 1);
        }
        else if (gain != 1f) w = w * gain;
        var xg = x.Reshape(1, n * inC, h, wd);
        if (outScale != null)
        {
            var y0 = Conv(xg, w, null, n, o, inC, k, up, h, wd) * outScale;
            return bias == null ? y0 : y0 + bias.Reshape(1, o, 1, 1);
        }
        return Conv(xg, w, bias, n, o, inC, k, up, h, wd);
    }

    /// <summary>Grouped conv of xg [1, N·I, H, W] with per-sample weights w [N, O, I·k²] (+ bias [O]) → [N, O, H·up, W·up].</summary>
    static Tensor Conv(Tensor xg, Tensor w, Tensor? bias, int n, int o, int inC, int k, int up, int h, int wd)
    {
        if (up == 1)
        {
            var b = bias == null ? null : n == 1 ? bias : bias.Unsqueeze(0).Expand(n, o).Reshape(n * o);
            var y = Convolution.Conv2d(xg, w.Reshape(n * o, inC, k, k), b, 1, k / 2, groups: n);
            return y.Reshape(n, o, h, wd);
        }
        if (up != 2 || k != 3) throw new ArgumentException($"modulated conv: unsupported up {up} with a {k}×{k} kernel");
        if (UpPath == UpConvPath.Transposed)
        {
            // Per-sample transposed-conv weights [N·I, O, 3, 3]: group n maps sample n's I input channels to its O outputs.
            var wt = w.Reshape(n, o, inC, 9).Permute(0, 2, 1, 3).Contiguous().Reshape(n * inC, o, 3, 3);
            return UpFir(Convolution.ConvTranspose2d(xg, wt, null, stride: 2, padding: 0, groups: n).Reshape(n, o, 2 * h + 1, 2 * wd + 1), bias);
        }
        var b4 = bias == null ? null : bias.Reshape(1, o, 1).Expand(n, o, 4).Reshape(n * o * 4);
        var yp = Convolution.Conv2d(xg, SubPixelKernels(w, n * o, inC), b4, 1, 1, groups: n);   // [1, N·O·4, H, W]
        return PixelShuffle(yp, n * o).Reshape(n, o, 2 * h, 2 * wd);
    }

    /// <summary>The second half of EG3D's ×2 up-conv: t [N, C, 2H+1, 2W+1] (a stride-2 transposed 3×3 conv's output) →
    /// [N, C, 2H, 2W] through the [1,3,3,1] FIR with gain 4 and padding 1 (+ bias [C]).</summary>
    internal static Tensor UpFir(Tensor t, Tensor? bias) =>
        Filtering.UpFir(t, padding: 1, t.Shape[2] - 1, t.Shape[3] - 1, bias);

    /// <summary>The ×2 up path's sub-pixel kernels: w [M, I·9] (any shape with M·I·9 elements) → [M·4 parities, I, 3, 3], linear in w,
    /// for one stride-1, padding-1 conv at the input resolution whose output goes through <see cref="PixelShuffle"/>.</summary>
    internal static Tensor SubPixelKernels(Tensor w, int m, int inC) =>
        w.Reshape(m * inC, 9).MatMul(UpKernelMatrix(w.Backend))                                  // [M·I, 4·9]
         .Reshape(m, inC, 4, 3, 3).Permute(0, 2, 1, 3, 4).Reshape(m * 4, inC, 3, 3);

    /// <summary>yp [B, C·4, H, W] → [B, C, 2H, 2W]: channel (c, 2·ay+ax) → pixel (2q+ay, 2r+ax), as a stride-2 transposed conv with
    /// one-hot 2×2 kernels: exact, and about twice as fast on the CPU backend as the equivalent 6-D permute copy.</summary>
    internal static Tensor PixelShuffle(Tensor yp, int channels) =>
        Convolution.ConvTranspose2d(yp, ShuffleKernel(yp.Backend, channels), null, stride: 2, padding: 0, groups: channels);

    static readonly Dictionary<(IBackend, int), Tensor> ShuffleKernels = new();

    /// <summary>[C·4, 1, 2, 2]: input channel 4c + a carries a one-hot kernel at (a / 2, a % 2).</summary>
    static Tensor ShuffleKernel(IBackend backend, int channels)
    {
        lock (ShuffleKernels)
        {
            if (ShuffleKernels.TryGetValue((backend, channels), out var t)) return t;
            var k = new float[channels * 16];
            for (int c = 0; c < channels; c++) for (int a = 0; a < 4; a++) k[(c * 4 + a) * 4 + a] = 1f;
            using (Engine.Autograd.GradMode.NoGrad())
            using (var s = TensorScope.Begin()) t = s.Forget(Tensor.FromArray(backend, k, channels * 4, 1, 2, 2));
            ShuffleKernels[(backend, channels)] = t;
            return t;
        }
    }

    static readonly Dictionary<IBackend, Tensor> UpKernels = new();

    /// <summary>T [9, 36]: row 3·by+bx, column (2·ay+ax)·9 + 3·ty+tx holds f[2ty−1−ay+by]·f[2tx−1−ax+bx] (f = [1,3,3,1]/4, zero
    /// outside 0..3). W·T gives, for output parity (ay, ax), the 3×3 correlation kernel (padding 1, input resolution) such that
    /// out[2q+a] = Σ_t x[q+t−1]·K_a[t] equals "zero-insert, pad (3,2), FIR·4, 3×3 true conv" at that pixel.</summary>
    internal static Tensor UpKernelMatrix(IBackend backend)
    {
        lock (UpKernels)
        {
            if (UpKernels.TryGetValue(backend, out var t)) return t;
            float[] f = [0.25f, 0.75f, 0.75f, 0.25f];
            var m = new float[9 * 36];
            for (int by = 0; by < 3; by++)
            for (int bx = 0; bx < 3; bx++)
            for (int ay = 0; ay < 2; ay++)
            for (int ax = 0; ax < 2; ax++)
            for (int ty = 0; ty < 3; ty++)
            for (int tx = 0; tx < 3; tx++)
            {
                int fy = 2 * ty - 1 - ay + by, fx = 2 * tx - 1 - ax + bx;
                if (fy is >= 0 and < 4 && fx is >= 0 and < 4)
                    m[(by * 3 + bx) * 36 + (ay * 2 + ax) * 9 + ty * 3 + tx] = f[fy] * f[fx];
            }
            using (Engine.Autograd.GradMode.NoGrad())
            using (var s = TensorScope.Begin()) t = s.Forget(Tensor.FromArray(backend, m, 9, 36));
            UpKernels[backend] = t;
            return t;
        }
    }
}
