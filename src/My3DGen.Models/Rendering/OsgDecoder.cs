// EG3D's OSGDecoder: (mean of the 3 plane features, taken by the sampler) → FC 32→64 → softplus → FC 64→33; sigma = raw channel 0,
// features = sigmoid(channels 1..32)·1.002 − 0.001 (spec §4).
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Rendering;

/// <summary>Decoder output: features [N, P, 32] and raw density [N, P, 1].</summary>
public sealed record DecoderOutput(Tensor Rgb, Tensor Sigma);

internal sealed class OsgDecoder
{
    public FullyConnectedLayer Hidden { get; }
    public FullyConnectedLayer Output { get; }

    internal OsgDecoder(Eg3dConfig cfg, ParameterStore store, string prefix)
    {
        float lr = cfg.Rendering.DecoderLrMul;
        Hidden = FullyConnectedLayer.Load(store, prefix + ".net.0", Eg3dConfig.PlaneChannels, Eg3dConfig.DecoderHidden, lr, FcActivation.Linear);
        Output = FullyConnectedLayer.Load(store, prefix + ".net.2", Eg3dConfig.DecoderHidden, 1 + Eg3dConfig.PlaneChannels, lr, FcActivation.Linear);
    }

    /// <summary>The decoder packed for the fused kernels: W1·gain [64·32], b1·gain [64], W2·gain [33·64], b2·gain [33] (differentiable).</summary>
    public Tensor Packed()
    {
        Tensor Scaled(Tensor t, float gain) => gain == 1f ? t : t * gain;
        return ShapeOps.Concat([
            Scaled(Hidden.EffectiveRawWeight(), Hidden.WeightGain).Reshape(-1), Scaled(Hidden.Bias, Hidden.BiasGain),
            Scaled(Output.EffectiveRawWeight(), Output.WeightGain).Reshape(-1), Scaled(Output.Bias, Output.BiasGain)], 0);
    }

    /// <summary>Plane-averaged features [N, P, C] (see <see cref="TriplaneSampler.SampleMean"/>) → (rgb [N,P,C], sigma [N,P,1]).</summary>
    public DecoderOutput Forward(Tensor meanFeatures)
    {
        int n = meanFeatures.Shape[0], p = meanFeatures.Shape[1], c = meanFeatures.Shape[2];
        var x = meanFeatures.Reshape(n * p, c);
        x = Output.Forward(Hidden.Forward(x).Softplus()).Reshape(n, p, c + 1);
        var sigma = x.Slice(2, 0, 1).Contiguous();
        var rgb = x.Slice(2, 1, c).Sigmoid().Affine(1f + 2f * 0.001f, -0.001f);
        return new DecoderOutput(rgb, sigma);
    }
}
