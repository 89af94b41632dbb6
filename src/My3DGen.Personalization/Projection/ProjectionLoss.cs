// The projector's perceptual distance: LPIPS-VGG v0.1 on the synthesis and the target, both area-downsampled to 256²
// when larger, images in [-1,1] without clamping, summed over the batch. This equals NVIDIA's vgg16.pt feature distance
// on (x+1)·127.5 (spec §1.2 step 4), so the TorchScript file is not needed.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Perceptual;

namespace My3DGen.Personalization.Projection;

/// <summary>LPIPS-VGG-256 distance. The LPIPS instance must be the VGG16 one.</summary>
public sealed class ProjectionLoss
{
    /// <summary>The LPIPS-VGG network (released weights, or random ones when <see cref="Lpips.IsRandom"/>).</summary>
    public Lpips Lpips { get; }

    /// <summary>Images larger than this are area-downsampled to it (the projector's 256).</summary>
    public int Resolution { get; }

    /// <summary>Wraps <paramref name="lpips"/>, which must use the VGG16 backbone; <paramref name="resolution"/> is the loss resolution.</summary>
    public ProjectionLoss(Lpips lpips, int resolution = ProjectionOptions.DefaultLossResolution)
    {
        Resolution = resolution;
        if (lpips.Net != LpipsNet.Vgg) throw new ArgumentException($"the projector's loss is LPIPS-VGG, got LPIPS-{lpips.Net}", nameof(lpips));
        Lpips = lpips;
    }

    /// <summary>Per-sample distances [N] of <paramref name="image"/> and <paramref name="target"/> ([N,3,H,W], [-1,1]); the target
    /// may already be at the loss resolution (see <see cref="Prepare"/>). Differentiable w.r.t. the image.</summary>
    public Tensor Distances(Tensor image, Tensor target) => Lpips.Distance(Prepare(image), Prepare(target));

    /// <summary>The batch sum of <see cref="Distances"/> (the projector's dist), a scalar.</summary>
    public Tensor Distance(Tensor image, Tensor target) => Distances(image, target).Sum();

    /// <summary>Area-downsamples [N,C,H,W] to <see cref="Resolution"/>² (256²) when larger (mean over each window, F.interpolate
    /// mode='area'); smaller images pass unchanged.</summary>
    /// <exception cref="ArgumentException">Non-square input, or a side above the resolution that is not a multiple of it.</exception>
    public Tensor Prepare(Tensor x) => AreaDownsample(x, Resolution);

    /// <summary>Area resize of [N,C,H,H] to <paramref name="size"/>² for integer factors (exact mean of factor×factor windows).</summary>
    public static Tensor AreaDownsample(Tensor x, int size)
    {
        int h = x.Shape[2], w = x.Shape[3];
        if (h != w) throw new ArgumentException($"expected square images, got {h}x{w}", nameof(x));
        if (h <= size) return x;
        if (h % size != 0) throw new ArgumentException($"area downsampling {h}² to {size}² needs an integer factor", nameof(x));
        return Pooling.AvgPool2d(x, h / size, h / size);
    }
}
