// The volume-render primitives of IBackend (EG3D's neural render kept on the device): ray generation from camera
// labels, coarse and importance depths, the fused tri-plane sampling + OSG decoder and MipRayMarcher2, each with its
// backward. Layouts are described in My3DGen.Kernels' TriplaneParams and RayMarchParams; all buffers start at offset 0.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends;

public partial interface IBackend
{
    /// <summary>rays [N·R², 6] (origin, unit direction per pixel ray, row-major pixels) from camera labels [N, 25].</summary>
    void GenerateRays(Storage labels, int batch, int resolution, Storage rays);
    /// <summary>Coarse depths [Rays, Coarse] (jittered when <see cref="DepthSamplingParams.Stratified"/>).</summary>
    void CoarseDepths(in DepthSamplingParams p, Storage depths);
    /// <summary>Importance depths [Rays, Fine], ascending per ray, from coarse depths [Rays, Coarse] and weights [Rays, Coarse−1].</summary>
    void ImportanceDepths(in DepthSamplingParams p, Storage coarse, Storage weights, Storage fine);
    /// <summary>output [points, 33] = OSG decoder of the plane-mean bilinear features at o + t·d, planes channel-last [N,3,H,W,32],
    /// decoder packed as <see cref="TriplaneLayout"/>.</summary>
    void TriplaneDecode(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage output);
    /// <summary>Gradients of <see cref="TriplaneDecode"/> for the output gradient: gPlanes (like planes) and gDecoder (like the
    /// packed decoder) are overwritten; accumulation is deterministic (no float atomics).</summary>
    void TriplaneDecodeBackward(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage gOutput,
        Storage gPlanes, Storage gDecoder);
    /// <summary>MipRayMarcher2 over the merge of two depth-sorted sample lists (fine may be absent when p.Fine = 0):
    /// output [Rays, 33] (features·2−1, depth clamped to the min/max of all depths); weights [Rays, K−1] when given.</summary>
    void MarchRays(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage output, Storage? weights);
    /// <summary>Gradients of <see cref="MarchRays"/> with respect to the sample rows (gCoarse, gFine overwritten).</summary>
    void MarchRaysBackward(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage gOutput,
        Storage gCoarse, Storage? gFine);
}
