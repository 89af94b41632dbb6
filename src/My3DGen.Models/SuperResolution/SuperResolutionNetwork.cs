// EG3D's super-resolution modules (SuperresolutionHybrid2X/4X/8X/8XDC): both inputs resized to the module's
// input resolution (bilinear, antialias), then two 'skip' SynthesisBlocks with img_channels 3, conv_clamp 256,
// every layer driven by ws[:, -1] (spec §6).
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Synthesis;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.SuperResolution;

/// <summary>(rgb [N,3,R,R], features [N,32,R,R], ws [N,num_ws,w_dim]) → image [N,3,res,res].</summary>
internal sealed class SuperResolutionNetwork
{
    public SuperResolutionSpec Spec { get; }
    public IReadOnlyList<SynthesisBlock> Blocks { get; }
    public bool Antialias { get; }

    internal SuperResolutionNetwork(Eg3dConfig cfg, ParameterStore store, string prefix)
    {
        Spec = SuperResolutionSpec.For(cfg, store.Source);
        Antialias = cfg.Rendering.SrAntialias;
        // The 2X/4X/8X modules register an (unused) top-level filter buffer; 8XDC does not.
        if (Spec.Kind != SuperResolutionKind.Hybrid8XDC) store.Get(prefix + ".resample_filter", [4, 4], ParameterInit.ResampleFilter);
        Blocks = Spec.Blocks.Select((b, i) => new SynthesisBlock(store, $"{prefix}.block{i}", b.InChannels, b.OutChannels, cfg.WDim,
            b.Resolution, 3, b.Up, Eg3dConfig.SuperResolutionClamp)).ToList();
    }

    /// <summary>Runs the module; <paramref name="blockOutput"/> receives (block index, x, img) after each block.</summary>
    public Tensor Forward(Tensor rgb, Tensor features, Tensor ws, NoiseSettings noise, Action<int, Tensor, Tensor>? blockOutput = null)
    {
        int n = ws.Shape[0], wDim = ws.Shape[2];
        var w = ws.Slice(1, ws.Shape[1] - 1, 1).Expand(n, 3, wDim);
        int r = Spec.InputResolution;
        if (features.Shape[3] != r)
        {
            features = Resampling.ResizeBilinear(features, r, r, alignCorners: false, antialias: Antialias);
            rgb = Resampling.ResizeBilinear(rgb, r, r, alignCorners: false, antialias: Antialias);
        }
        Tensor x = features, img = rgb;
        for (int i = 0; i < Blocks.Count; i++)
        {
            (x, img) = Blocks[i].Forward(x, img, w, noise);
            blockOutput?.Invoke(i, x, img);
        }
        return img;
    }
}
