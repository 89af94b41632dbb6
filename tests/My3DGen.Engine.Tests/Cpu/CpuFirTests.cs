// The managed CPU backend's vectorised FIR (the ×2 up-conv's [1,3,3,1] filter) against FirReference: widths below,
// at and well above the SIMD width, padding 0..2, with and without bias, and the adjoint geometry.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Cpu;

public class CpuFirTests
{
    //          planes ch  H   W  pad
    [TestCase(2, 2, 7, 6, 1)]
    [TestCase(4, 2, 17, 16, 1)]
    [TestCase(6, 3, 33, 47, 1)]
    [TestCase(3, 1, 5, 40, 2)]
    [TestCase(1, 1, 4, 4, 0)]
    [TestCase(2, 2, 65, 65, 1)]
    public void MatchesReference(int planes, int channels, int h, int w, int pad)
    {
        var be = CpuBackend.Instance;
        int oh = h + 2 * pad - 3, ow = w + 2 * pad - 3;
        var rng = new Random(planes * 100 + w);
        float[] Rand(long n) => Enumerable.Range(0, (int)n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        foreach (var g in new[] { FirGeometry.UpFilter(planes, channels, h, w, oh, ow, pad), FirGeometry.UpFilter(planes, channels, h, w, oh, ow, pad).Adjoint() })
            foreach (bool withBias in new[] { false, true })
            {
                var hx = Rand(g.InputLength); var hb = Rand(channels);
                var x = be.Allocate(g.InputLength); be.Upload(hx, x, 0);
                var b = be.Allocate(channels); be.Upload(hb, b, 0);
                var y = be.Allocate(g.OutputLength);
                be.Fir2d(g, x, withBias ? b : null, y);
                var got = new float[g.OutputLength]; be.Download(y, 0, got);
                var want = new float[g.OutputLength];
                FirReference.Apply(g, hx, withBias ? hb : default, want);
                for (int i = 0; i < want.Length; i++)
                    Assert.That(got[i], Is.EqualTo(want[i]).Within(1e-5 * (1 + Math.Abs(want[i]))), $"{g} bias {withBias} at {i}");
                x.Release(); b.Release(); y.Release();
            }
    }
}
