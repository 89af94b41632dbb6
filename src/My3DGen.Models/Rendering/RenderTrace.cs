// Optional record of every intermediate of one render (rays, depths, features, decoder outputs, marches), filled
// only when a caller asks for it; the fixture tests compare each stage against the PyTorch reference.
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Rendering;

/// <summary>Intermediates of one pass (coarse or fine) over K samples per ray; PlaneFeatures [N,3,P,C] only when traced.</summary>
internal sealed record PassTrace(float[] Coords, Tensor? PlaneFeatures, DecoderOutput Decoded);

/// <summary>Stage-by-stage record of a render. Host arrays are row-major in EG3D's layouts ([N,M,K] for depths).</summary>
internal sealed class RenderTrace
{
    public RayBundle? Rays { get; set; }
    public float[]? DepthsCoarse { get; set; }
    public PassTrace? Coarse { get; set; }
    public MarchResult? CoarseMarch { get; set; }
    public float[]? ImportanceWeights { get; set; }
    public float[]? DepthsFine { get; set; }
    public PassTrace? Fine { get; set; }
    public MarchResult? Final { get; set; }
}
