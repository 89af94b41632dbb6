// StyleGAN2's fused modulated convolution: per-sample weights W·s (optionally demodulated) applied as one
// grouped conv with groups = N. The ×2 up path is a stride-2 transposed conv whose kernel is the flipped 3×3
// kernel pre-convolved with the [1,3,3,1] FIR (gain 4), which equals spec §3.5's zero-insert → pad(3,2) → FIR → true conv.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Eg3d;

public static class ModulatedConv2d
{
    /// <summary>y [N,O,H·up,W·up] = modconv(x [N,I,H,W], weight [O,I,k,k], styles [N,I]); k = 1 or 3, up = 1 or 2 (k = 3 only).</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor styles, bool demodulate, int up = 1)
    {
        int n = x.Shape[0], inC = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = weight.Shape[0], k = weight.Shape[2];
        if (weight.Shape[1] != inC || styles.Shape[0] != n || styles.Shape[1] != inC)
            throw new ArgumentException($"modulated conv: x [{string.Join(",", x.Shape)}], weight [{string.Join(",", weight.Shape)}], styles [{string.Join(",", styles.Shape)}] do not match");
        var w = weight.Unsqueeze(0) * styles.Reshape(n, 1, inC, 1, 1);               // [N,O,I,k,k]
        if (demodulate)
        {
            var d = (w.Square().Sum([2, 3, 4]) + 1e-8f).Rsqrt();                      // [N,O]
            w = w * d.Reshape(n, o, 1, 1, 1);
        }
        var xg = x.Reshape(1, n * inC, h, wd);
        Tensor y;
        if (up == 1)
            y = Convolution.Conv2d(xg, w.Reshape(n * o, inC, k, k), null, 1, k / 2, groups: n);
        else if (up == 2 && k == 3)
        {
            var k6 = w.Reshape(n * o * inC, 9).MatMul(UpKernelMatrix(x.Backend))   // [N·O·I, 36]
                      .Reshape(n, o, inC, 6, 6).Permute(0, 2, 1, 3, 4).Reshape(n * inC, o, 6, 6);
            y = Convolution.ConvTranspose2d(xg, k6, null, stride: 2, padding: 2, groups: n);
        }
        else throw new ArgumentException($"modulated conv: unsupported up {up} with a {k}×{k} kernel");
        return y.Reshape(n, o, y.Shape[2], y.Shape[3]);
    }

    static readonly Dictionary<IBackend, Tensor> UpKernels = new();

    /// <summary>T [9, 36]: row 3·by+bx, column 6·ky+kx holds f[ty]·f[tx] with t = (3 − k) + b, f = [1,3,3,1]/4.
    /// K6 = W·T is the transposed-conv kernel of "zero-insert, FIR(gain 4), 3×3 true conv" (padding 2).</summary>
    internal static Tensor UpKernelMatrix(IBackend backend)
    {
        lock (UpKernels)
        {
            if (UpKernels.TryGetValue(backend, out var t)) return t;
            float[] f = [0.25f, 0.75f, 0.75f, 0.25f];
            var m = new float[9 * 36];
            for (int by = 0; by < 3; by++)
            for (int bx = 0; bx < 3; bx++)
            for (int ky = 0; ky < 6; ky++)
            for (int kx = 0; kx < 6; kx++)
            {
                int ty = 3 - ky + by, tx = 3 - kx + bx;
                if (ty is >= 0 and < 4 && tx is >= 0 and < 4) m[(by * 3 + bx) * 36 + ky * 6 + kx] = f[ty] * f[tx];
            }
            using (Engine.Autograd.GradMode.NoGrad())
            using (var s = TensorScope.Begin()) t = s.Forget(Tensor.FromArray(backend, m, 9, 36));
            UpKernels[backend] = t;
            return t;
        }
    }
}
