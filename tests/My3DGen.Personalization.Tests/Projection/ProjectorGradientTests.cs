// The projector's gradient w.r.t. w (through LPIPS-VGG, the super-resolution, the renderer and the backbone via the staged
// backward) against a central finite difference along the gradient direction on the small model; coarse-only sampling so
// no sample position depends on w.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Eg3d;
using My3DGen.Personalization.Projection;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Tests.Projection;

public class ProjectorGradientTests
{
    [Test, Category("Slow")]
    public void LossGradientWithRespectToWMatchesFiniteDifferences()
    {
        var cfg = Eg3dConfig.Tiny with { ChannelMax = 8, Rendering = Eg3dConfig.Tiny.Rendering with { DepthResolutionImportance = 0 } };
        using var gen = Eg3dGenerator.CreateRandom(cfg, 5, CpuBackend.Instance);
        using var vgg = ProjectionWorld.RandomVgg();
        var loss = new ProjectionLoss(vgg, 32);
        var be = gen.Backend;
        var target = ProjectionWorld.Target(gen, 1);
        using var scope = TensorScope.Begin();
        var t = loss.Prepare(Tensor.FromArray(be, target.Image, 1, 3, 128, 128));
        var w0 = ProjectionWorld.KnownWs(gen, 2);
        float Eval(float[] ws, bool grad, out float[]? g)
        {
            var x = Tensor.FromArray(be, ws, 1, 14, 512);
            x.RequiresGrad = grad;
            float v;
            if (grad)
            {
                v = StagedBackward.Run(gen, x, target.Camera, 32, deterministic: true, 0, (img, _) => loss.Distance(img, t));
                g = x.Grad!.ToArray();
            }
            else
            {
                using var ng = GradMode.NoGrad();
                var img = gen.Synthesize(x, Tensor.FromArray(be, target.Camera, 1, 25)).Image;
                v = loss.Distance(img, t).Item(); g = null;
            }
            return v;
        }
        Eval(w0, true, out var grad);
        double norm = Math.Sqrt(grad!.Sum(v => (double)v * v));
        var d = grad!.Select(v => (float)(v / norm)).ToArray();
        const float h = 1e-2f;
        float Shift(float s) => Eval(w0.Select((v, i) => v + s * d[i]).ToArray(), false, out _);
        double fd = (Shift(h) - Shift(-h)) / (2.0 * h);
        TestContext.Out.WriteLine($"directional derivative: autograd {norm:G6}, finite difference {fd:G6}");
        Assert.That(fd, Is.EqualTo(norm).Within(0.05 * norm));
    }
}
