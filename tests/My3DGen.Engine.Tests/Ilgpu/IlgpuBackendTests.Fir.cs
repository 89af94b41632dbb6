// The ×2 up-conv's FIR kernel (FirKernels) against its plain C# reference: forward with and without bias, the adjoint
// geometry, sizes spanning several thread groups, and the adjoint identity <Fir x, y> = <x, Firᵀ y>.
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    //          planes ch  H   W  pad
    [TestCase(2, 2, 7, 6, 1)]
    [TestCase(6, 3, 33, 47, 1)]
    [TestCase(3, 1, 5, 9, 2)]
    [TestCase(1, 1, 4, 4, 0)]
    public void Fir2d_MatchesReference(int planes, int channels, int h, int w, int pad)
    {
        int oh = h + 2 * pad - 3, ow = w + 2 * pad - 3;
        var g = FirGeometry.UpFilter(planes, channels, h, w, oh, ow, pad);
        var hx = Dev.Rand((int)g.InputLength, 3); var hb = Dev.Rand(channels, 4); var hy = Dev.Rand((int)g.OutputLength, 5);
        var x = B.Up(hx); var bias = B.Up(hb); var y = B.Allocate(g.OutputLength);
        var refY = new float[g.OutputLength];
        B.Fir2d(g, x, bias, y);
        FirReference.Apply(g, hx, hb, refY);
        Dev.Close(refY, B.Down(y, (int)g.OutputLength), 1e-6, 1e-6, "fir fwd + bias");
        B.Fir2d(g, x, null, y);
        FirReference.Apply(g, hx, default, refY);
        var fy = B.Down(y, (int)g.OutputLength);
        Dev.Close(refY, fy, 1e-6, 1e-6, "fir fwd");
        // Adjoint: <Fir x, y> = <x, Firᵀ y>.
        var gy = B.Up(hy); var gx = B.Allocate(g.InputLength);
        B.Fir2d(g.Adjoint(), gy, null, gx);
        var fty = B.Down(gx, (int)g.InputLength);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < fy.Length; i++) lhs += (double)fy[i] * hy[i];
        for (int i = 0; i < fty.Length; i++) rhs += (double)hx[i] * fty[i];
        Assert.That(rhs, Is.EqualTo(lhs).Within(1e-4 * Math.Max(1, Math.Abs(lhs))), "adjoint identity");
        Release(x, bias, y, gy, gx);
    }
}
