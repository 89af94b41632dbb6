// EG3D's ImportanceRenderer on the device kernels (Engine.Ops.VolumeRendering): rays from the camera tensor, coarse
// depths, fused tri-plane decode, coarse weights, importance depths, fine decode and one march over the merge of both
// sorted lists. Nothing is read back to the host; the composed ImportanceRenderer stays as the reference path.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Rendering;

/// <summary>Which implementation renders the tri-planes.</summary>
public enum RenderPath
{
    /// <summary>Device kernels: fused tri-plane decode and ray march, importance sampling on the device (default).</summary>
    Fused,
    /// <summary>The composed reference: generic ops with host-side indices, importance sampling and sort.</summary>
    Composed,
}

internal sealed class FusedRenderer(Eg3dConfig cfg, OsgDecoder decoder)
{
    /// <summary>True when the decoder can run fused (no layer adapter attached to it).</summary>
    public bool Supports => decoder.Hidden.Adapter == null && decoder.Output.Adapter == null;

    /// <summary>planes [N,3,32,H,W], camera [N,25] → features [N, R², 32] (·2−1 applied) and depth [N, R², 1].
    /// <paramref name="seed"/> null is the deterministic rule (no jitter, u = linspace), else it seeds jitter and u.
    /// With <paramref name="meanPositions"/> (and no seed) the deterministic samples sit where the jittered ones do on average:
    /// coarse depths start + (k + ½)·Δ (EG3D jitters start + (k + U)·Δ, U ~ U[0,1)) and importance u_q = (q + 1)/(F + 1).</summary>
    public (Tensor Features, Tensor Depth) Render(Tensor planes, Tensor camera, int resolution, uint? seed, bool meanPositions = false)
    {
        var rk = cfg.Rendering;
        int n = planes.Shape[0], m = resolution * resolution, di = rk.DepthResolutionImportance;
        var channelLast = planes.Permute(0, 1, 3, 4, 2).Contiguous();
        var dec = decoder.Packed();
        var rays = VolumeRendering.Rays(camera, resolution);
        var coarseDepths = VolumeRendering.CoarseDepths(planes.Backend, n * m, rk.DepthResolution, rk.RayStart, rk.RayEnd, seed, meanPositions);
        var coarse = VolumeRendering.TriplaneDecode(channelLast, dec, rays, coarseDepths, rk.BoxWarp);
        Tensor marched;
        if (di == 0) marched = VolumeRendering.March(coarse, coarseDepths, null, null, rk.WhiteBack);
        else
        {
            var weights = VolumeRendering.MarchWeights(coarse, coarseDepths, rk.WhiteBack);
            var fineDepths = VolumeRendering.ImportanceDepths(coarseDepths, weights, di, seed, meanPositions);
            var fine = VolumeRendering.TriplaneDecode(channelLast, dec, rays, fineDepths, rk.BoxWarp);
            marched = VolumeRendering.March(coarse, coarseDepths, fine, fineDepths, rk.WhiteBack);
        }
        var perRay = marched.Reshape(n, m, Eg3dConfig.PlaneChannels + 1);
        return (perRay.Slice(2, 0, Eg3dConfig.PlaneChannels), perRay.Slice(2, Eg3dConfig.PlaneChannels, 1));
    }
}
