// Convolution checks (im2col + GEMM path, both GEMM kernels) against the direct double-precision
// reference: forward with bias, input gradient and weight gradient, overwrite and accumulate.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    //                      N  C  H  W  O KH KW SH SW PH PW G
    [TestCase(2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, TestName = "Conv 3x3 pad1")]
    [TestCase(1, 4, 9, 7, 6, 3, 3, 2, 2, 1, 1, 2, TestName = "Conv 3x3 stride2 pad1 groups2")]
    [TestCase(2, 4, 5, 5, 6, 1, 1, 1, 1, 0, 0, 1, TestName = "Conv 1x1 pointwise")]
    [TestCase(1, 2, 8, 7, 4, 1, 1, 2, 2, 0, 0, 2, TestName = "Conv 1x1 stride2 groups2")]
    [TestCase(1, 3, 6, 5, 2, 4, 2, 2, 1, 2, 0, 1, TestName = "Conv 4x2 asymmetric")]
    public void Conv2d_ForwardAndBackward(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int g)
    {
        foreach (var kind in new[] { GemmKernelKind.Naive, GemmKernelKind.Tiled16 })
        {
            B.GemmKernel = kind;
            CheckConv(new ConvGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw, g), kind);
        }
    }

    void CheckConv(ConvGeometry geo, GemmKernelKind kind)
    {
        var p = new ConvGeometry(geo.N, geo.C, geo.H, geo.W, geo.O, geo.KH, geo.KW, geo.StrideH, geo.StrideW, geo.PadH, geo.PadW, geo.Groups);
        int xn = p.N * p.C * p.H * p.W, wn = p.O * p.CPerGroup * p.KH * p.KW, yn = p.N * p.O * p.OH * p.OW;
        var hx = Dev.Rand(xn, 1); var hw = Dev.Rand(wn, 2); var hb = Dev.Rand(p.O, 3); var hgy = Dev.Rand(yn, 4);
        var hgx0 = Dev.Rand(xn, 5); var hgw0 = Dev.Rand(wn, 6);
        double tol = 1e-5 * p.CPerGroup * p.KH * p.KW;
        string tag = $"{kind} N{geo.N} C{geo.C} {geo.H}x{geo.W} O{geo.O} k{geo.KH}x{geo.KW} s{geo.StrideH} p{geo.PadH} g{geo.Groups}";

        var x = B.Up(hx); var wt = B.Up(hw); var bias = B.Up(hb); var y = B.Allocate(yn);
        B.Conv2dForward(geo, x, wt, bias, y);
        Dev.Close(ConvReference.Forward(p, hx, hw, hb), B.Down(y, yn), tol, tol, "conv fwd " + tag);

        var gy = B.Up(hgy); var gx = B.Allocate(xn);
        var refGx = ConvReference.BackwardInput(p, hgy, hw);
        double tolIn = 1e-5 * p.OPerGroup * p.KH * p.KW;
        B.Conv2dBackwardInput(geo, gy, wt, gx, accumulate: false);
        Dev.Close(refGx, B.Down(gx, xn), tolIn, tolIn, "conv bwd-input " + tag);
        B.Upload(hgx0, gx, 0);
        B.Conv2dBackwardInput(geo, gy, wt, gx, accumulate: true);
        Dev.Close(refGx.Select((v, i) => v + hgx0[i]).ToArray(), B.Down(gx, xn), tolIn, tolIn, "conv bwd-input acc " + tag);

        var gw = B.Allocate(wn);
        var refGw = ConvReference.BackwardWeight(p, hgy, hx);
        double tolW = 1e-5 * p.N * p.OH * p.OW;
        B.Conv2dBackwardWeight(geo, gy, x, gw, accumulate: false);
        Dev.Close(refGw, B.Down(gw, wn), tolW, tolW, "conv bwd-weight " + tag);
        B.Upload(hgw0, gw, 0);
        B.Conv2dBackwardWeight(geo, gy, x, gw, accumulate: true);
        Dev.Close(refGw.Select((v, i) => v + hgw0[i]).ToArray(), B.Down(gw, wn), tolW, tolW, "conv bwd-weight acc " + tag);
        Release(x, wt, bias, y, gy, gx, gw);
    }
}
