// Pooling, CSR axis-resampling and index-select/index-add checks against the plain C# references
// (pool gradients are gathers on the device and scatters in the reference).
using My3DGen.Engine.Backends;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    //          planes H  W KH KW SH SW PH PW
    [TestCase(3, 7, 6, 3, 3, 2, 2, 1, 1)]
    [TestCase(2, 5, 5, 2, 2, 2, 2, 0, 0)]
    [TestCase(2, 6, 7, 3, 3, 1, 1, 1, 1)]
    [TestCase(1, 9, 4, 3, 2, 3, 1, 1, 0)]
    public void Pool2d_MaxAndAverage_WithGrads(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var g = new PoolGeometry(planes, h, w, kh, kw, sh, sw, ph, pw);
        var p = new PoolGeometry(planes, h, w, kh, kw, sh, sw, ph, pw);
        var hx = Dev.Rand(p.InCount, 7); var hgy = Dev.Rand(p.OutCount, 8);
        var x = B.Up(hx); var y = B.Allocate(p.OutCount); var am = B.Allocate(p.OutCount);
        var gy = B.Up(hgy); var gx = B.Allocate(p.InCount);

        B.Pool2d(PoolKind.Max, g, x, y, am);
        var (refY, refAm) = PoolReference.MaxForward(hx, p);
        Dev.Close(refY, B.Down(y, p.OutCount), 0, 0, "maxpool fwd");
        Assert.That(B.DownInts(am, p.OutCount), Is.EqualTo(refAm), "maxpool argmax");
        B.Pool2dGrad(PoolKind.Max, g, gy, am, gx);
        Dev.Close(PoolReference.MaxBackward(hgy, refAm, p), B.Down(gx, p.InCount), 1e-6, 1e-6, "maxpool bwd");

        B.Pool2d(PoolKind.Average, g, x, y, null);
        Dev.Close(PoolReference.AvgForward(hx, p), B.Down(y, p.OutCount), 1e-6, 1e-6, "avgpool fwd");
        B.Pool2dGrad(PoolKind.Average, g, gy, null, gx);
        Dev.Close(PoolReference.AvgBackward(hgy, p), B.Down(gx, p.InCount), 1e-6, 1e-6, "avgpool bwd");
        Release(x, y, am, gy, gx);
    }

    [TestCase(3, 4, 7, 5)]
    [TestCase(2, 1, 5, 11)]
    [TestCase(1, 3, 1, 4)]
    public void AxisWeights_RandomCsr(int outer, int inner, int inLength, int outLength)
    {
        var r = new Random(outer * 100 + inLength);
        var rowStart = new int[outLength + 1];
        var idx = new List<int>(); var wts = new List<float>();
        for (int row = 0; row < outLength; row++)
        {
            int taps = r.Next(0, 4);                                   // empty rows and duplicate taps included
            for (int t = 0; t < taps; t++) { idx.Add(r.Next(inLength)); wts.Add((float)r.NextDouble() * 2 - 0.5f); }
            rowStart[row + 1] = idx.Count;
        }
        var aw = new AxisWeights(inLength, outLength, rowStart, idx.ToArray(), wts.ToArray());
        var hx = Dev.Rand(outer * inLength * inner, 9);
        var x = B.Up(hx); var y = B.Allocate(outer * outLength * inner);
        B.ApplyAxisWeights(x, outer, inner, aw, y);
        var expected = AxisWeightsReference.Apply(hx, outer, inLength, outLength, inner, rowStart, aw.Indices, aw.Weights);
        Dev.Close(expected, B.Down(y, expected.Length), 1e-6, 1e-6, "axis weights");
        Release(x, y);
    }

    [TestCase(2, 5, 3)]
    [TestCase(1, 4, 1)]
    public void IndexSelectAndAdd_DuplicateIndices(int outer, int axisLength, int inner)
    {
        int[] ids = [axisLength - 1, 0, axisLength - 1, 2, axisLength - 1, 1];
        var hx = Dev.Rand(outer * axisLength * inner, 11);
        var hgy = Dev.Rand(outer * ids.Length * inner, 12);
        var hgx = Dev.Rand(outer * axisLength * inner, 13);
        var x = B.Up(hx); var idx = B.UpInts(ids); var y = B.Allocate(outer * ids.Length * inner);
        B.IndexSelect(x, outer, axisLength, inner, idx, ids.Length, y);
        Dev.Close(IndexReference.Select(hx, outer, axisLength, inner, ids), B.Down(y, hgy.Length), 0, 0, "index select");

        var gy = B.Up(hgy); var gx = B.Up(hgx);
        B.IndexAdd(gy, outer, axisLength, inner, idx, ids.Length, gx);
        var expected = (float[])hgx.Clone();
        IndexReference.Add(hgy, outer, axisLength, inner, ids, expected);
        Dev.Close(expected, B.Down(gx, hgx.Length), 1e-6, 1e-6, "index add");
        Release(x, idx, y, gy, gx);
    }
}
