// Adam checks: three float steps on the device against PyTorch's rule evaluated in double.
using My3DGen.Engine.Backends;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    [TestCase(0f)]
    [TestCase(0.01f)]
    public void Adam_ThreeStepsMatchDoubleReference(float weightDecay)
    {
        const int n = 37;
        const float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        var hp = Dev.Rand(n, 21);
        var p = B.Up(hp); var m = B.Up(new float[n]); var v = B.Up(new float[n]); var g = B.Allocate(n);
        double[] dp = hp.Select(x => (double)x).ToArray(), dm = new double[n], dv = new double[n];
        for (int step = 1; step <= 3; step++)
        {
            var hg = Dev.Rand(n, 30 + step);
            B.Upload(hg, g, 0);
            B.AdamStep(AdamParams.Create(lr, b1, b2, eps, weightDecay, step), p, g, m, v, n);
            AdamReference.Step(dp, hg.Select(x => (double)x).ToArray(), dm, dv, lr, b1, b2, eps, weightDecay, step);
        }
        Dev.Close(dp.Select(x => (float)x).ToArray(), B.Down(p, n), 1e-5, 1e-6, "adam p");
        Dev.Close(dm.Select(x => (float)x).ToArray(), B.Down(m, n), 1e-5, 1e-7, "adam m");
        Dev.Close(dv.Select(x => (float)x).ToArray(), B.Down(v, n), 1e-5, 1e-9, "adam v");
        Release(p, m, v, g);
    }
}
