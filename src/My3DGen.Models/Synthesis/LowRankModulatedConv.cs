// The modulated conv with a low-rank adapter, W = W0 + s·reshape(B·A), without forming ΔW or any per-sample weight copy:
// y = d ⊙ [conv(x·st, W0) + s·B·conv(x·st, A)] + bias (A as R conv kernels, B a 1×1 mix), with the demodulation
// ‖(W0+ΔW)·st‖² expanded into [O,R]/[R,R]-sized terms. The frozen W0 then needs no weight gradient (only the input one).
// The ×2 up path runs both convs as stride-2 transposed convs (EG3D's form); the B mix and the demodulation commute with
// the [1,3,3,1] FIR, which is applied once to the sum (with the bias). The sub-pixel form stays as the reference path.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Synthesis;

internal static class LowRankModulatedConv
{
    /// <summary>Same contract as <see cref="ModulatedConv2d.Forward"/> with weight W0 [O,I,k,k] + <paramref name="scaling"/>·reshape(b·a),
    /// a [R, I·k²], b [O, R].</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor a, Tensor b, float scaling, Tensor styles, bool demodulate,
        int up = 1, Tensor? bias = null, float gain = 1f)
    {
        int n = x.Shape[0], inC = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = weight.Shape[0], k = weight.Shape[2], kk = k * k, r = a.Shape[0];
        if (weight.Shape[1] != inC || styles.Shape[0] != n || styles.Shape[1] != inC || a.Shape[1] != inC * kk || b.Shape[0] != o || b.Shape[1] != r)
            throw new ArgumentException($"low-rank modulated conv: x [{string.Join(",", x.Shape)}], weight [{string.Join(",", weight.Shape)}], " +
                $"A [{string.Join(",", a.Shape)}], B [{string.Join(",", b.Shape)}], styles [{string.Join(",", styles.Shape)}] do not match");
        if (up != 1 && (up != 2 || k != 3)) throw new ArgumentException($"modulated conv: unsupported up {up} with a {k}×{k} kernel");
        Tensor? d = null;                                                                          // [N, O] output scale
        if (demodulate) d = Demodulation(weight, a, b, scaling, styles) * gain;
        else if (gain != 1f) styles = styles * gain;
        var xs = x * styles.Reshape(n, inC, 1, 1);
        // Per-sample 1×1 mix s·d_o·B[o,j] (+ bias), grouped by sample: [N·O, R] (shared [O, R] when nothing is per-sample).
        var mix = d == null ? (b * scaling).Unsqueeze(0) : (b * scaling).Unsqueeze(0) * d.Reshape(n, o, 1);   // [1 or N, O, R]
        int groups = d == null ? 1 : n;
        if (up == 1)
        {
            var y0 = Convolution.Conv2d(xs, weight, null, 1, k / 2);                             // [N, O, H, W]
            var t = Convolution.Conv2d(xs, a.Reshape(r, inC, k, k), null, 1, k / 2);             // [N, R, H, W] = A·im2col(x·st)
            var bn = bias == null ? null : groups == 1 ? bias : bias.Unsqueeze(0).Expand(n, o).Reshape(n * o);
            var lr = Convolution.Conv2d(t.Reshape(n / groups, groups * r, h, wd), mix.Reshape(groups * o, r, 1, 1), bn, groups: groups)
                .Reshape(n, o, h, wd);
            return (d == null ? y0 : y0 * d.Reshape(n, o, 1, 1)) + lr;
        }
        if (ModulatedConv2d.UpPath == UpConvPath.Transposed)
        {
            int th = 2 * h + 1, tw = 2 * wd + 1;
            var t0 = Convolution.ConvTranspose2d(xs, weight.Permute(1, 0, 2, 3).Contiguous(), null, stride: 2);        // [N, O, 2H+1, 2W+1]
            var ta = Convolution.ConvTranspose2d(xs, a.Reshape(r, inC, k, k).Permute(1, 0, 2, 3).Contiguous(), null, stride: 2);   // [N, R, ..]
            var lrT = Convolution.Conv2d(ta.Reshape(n / groups, groups * r, th, tw), mix.Reshape(groups * o, r, 1, 1), null, groups: groups)
                .Reshape(n, o, th, tw);
            return ModulatedConv2d.UpFir((d == null ? t0 : t0 * d.Reshape(n, o, 1, 1)) + lrT, bias);
        }
        // ×2 up: both terms as sub-pixel convs at the input resolution ([., C·4 parities, H, W]); the mix acts per parity
        // (kernel B ⊗ I₄), the sum is interleaved once.
        var y4 = Convolution.Conv2d(xs, ModulatedConv2d.SubPixelKernels(weight, o, inC), null, 1, 1);   // [N, O·4, H, W]
        var t4 = Convolution.Conv2d(xs, ModulatedConv2d.SubPixelKernels(a, r, inC), null, 1, 1);        // [N, R·4, H, W]
        var mix4 = (mix.Reshape(mix.Shape[0], o, 1, r, 1) * Eye4(x)).Reshape(groups * o * 4, r * 4, 1, 1);
        var b4 = bias == null ? null : bias.Reshape(1, o, 1).Expand(groups, o, 4).Reshape(groups * o * 4);
        var lr4 = Convolution.Conv2d(t4.Reshape(n / groups, groups * r * 4, h, wd), mix4, b4, groups: groups);
        var sum = d == null ? y4.Reshape(n, o, 4 * h * wd) : y4.Reshape(n, o, 4 * h * wd) * d.Reshape(n, o, 1);
        sum = sum + lr4.Reshape(n, o, 4 * h * wd);
        return ModulatedConv2d.PixelShuffle(sum.Reshape(1, n * o * 4, h, wd), n * o).Reshape(n, o, 2 * h, 2 * wd);
    }

    /// <summary>d [N, O] = rsqrt(Σ_{i,t} ((W0 + s·BA)[o,i,t]·st_i)² + 1e-8) = rsqrt(‖W0 st‖² + Σ_j B[o,j]·(2s·M + s²·(G Bᵀ))[j,o] + 1e-8)
    /// with M[n,j,o] = Σ A[j,it]·st_i²·W0[o,it] and G[n] = A diag(st²) Aᵀ (symmetric [R,R]).</summary>
    static Tensor Demodulation(Tensor weight, Tensor a, Tensor b, float scaling, Tensor styles)
    {
        int n = styles.Shape[0], inC = styles.Shape[1], o = weight.Shape[0], r = a.Shape[0], ik = a.Shape[1], kk = ik / inC;
        var s2 = styles.Square();                                                                   // [N, I]
        var w0 = weight.Reshape(o, ik);
        var base2 = s2.MatMul(weight.Reshape(o, inC, kk).Square().Sum([2]).Transpose(0, 1));       // [N, O] = ‖W0 st‖²
        var s2k = kk == 1 ? s2.Reshape(n, 1, ik) : s2.Reshape(n, inC, 1).Expand(n, inC, kk).Reshape(n, 1, ik);
        var as2 = a.Unsqueeze(0) * s2k;                                                             // [N, R, I·k²] = A diag(st²)
        var m = as2.MatMul(w0.Transpose(0, 1));                                                     // [N, R, O]
        var gb = as2.MatMul(a.Transpose(0, 1)).MatMul(b.Transpose(0, 1));                           // [N, R, O] = G·Bᵀ
        var cross = ((m * (2f * scaling) + gb * (scaling * scaling)) * b.Transpose(0, 1).Unsqueeze(0)).Sum([1]);   // [N, O]
        return (base2 + cross + 1e-8f).Rsqrt();
    }

    /// <summary>[1, 1, 4, 1, 4] identity over the four output parities (for the per-parity mix B ⊗ I₄).</summary>
    static Tensor Eye4(Tensor like)
    {
        var e = new float[16];
        for (int i = 0; i < 4; i++) e[i * 5] = 1f;
        return Tensor.FromArray(like.Backend, e, 1, 1, 4, 1, 4);
    }
}
