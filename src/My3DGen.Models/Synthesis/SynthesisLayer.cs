// StyleGAN2 SynthesisLayer: styles = affine(w), modulated+demodulated 3×3 conv (optionally ×2 up), noise,
// bias, lrelu·√2 and optional clamp. The raw weight is read in one place (EffectiveRawWeight) for LoRA.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;

namespace My3DGen.Models.Eg3d;

/// <summary>x [N,I,h,h], w [N,w_dim] → [N,O,res,res] with res = h·up.</summary>
public sealed class SynthesisLayer
{
    public string Name { get; }
    /// <summary>Raw conv weight [O,I,3,3] (no gain: demodulation normalises it).</summary>
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor NoiseStrength { get; }
    public Tensor NoiseConst { get; }
    public FullyConnectedLayer Affine { get; }
    public int Resolution { get; }
    public int Up { get; }
    public float? ConvClamp { get; }
    /// <summary>Optional adapter: its weight delta is added to the raw conv weight before modulation.</summary>
    public ILayerAdapter? Adapter { get; set; }

    internal SynthesisLayer(ParameterStore store, string prefix, int inC, int outC, int wDim, int resolution, int up, float? convClamp)
    {
        Name = prefix; Resolution = resolution; Up = up; ConvClamp = convClamp;
        Weight = store.Get(prefix + ".weight", [outC, inC, 3, 3]);
        NoiseStrength = store.Get(prefix + ".noise_strength", [], ParameterInit.Zeros);
        Bias = store.Get(prefix + ".bias", [outC], ParameterInit.Zeros);
        store.Get(prefix + ".resample_filter", [4, 4], ParameterInit.ResampleFilter);
        NoiseConst = store.Get(prefix + ".noise_const", [resolution, resolution]);
        Affine = FullyConnectedLayer.Load(store, prefix + ".affine", wDim, inC, 1f, FcActivation.Linear, biasInit: 1f);
    }

    public int InChannels => Weight.Shape[1];
    public int OutChannels => Weight.Shape[0];

    /// <summary>The raw conv weight plus the adapter's delta.</summary>
    public Tensor EffectiveRawWeight()
    {
        var d = Adapter?.WeightDelta(Weight);
        return d == null ? Weight : Weight + d;
    }

    public Tensor Forward(Tensor x, Tensor w, NoiseSettings noise) => InferenceScope.Run(() =>
    {
        var styles = Affine.Forward(w);
        // lrelu(v)·√2 = lrelu(√2·v), so the √2 gain is folded into the (tiny) per-sample weights, bias and noise scale instead
        // of a pass over the output. The bias joins the conv's output pass; EG3D adds noise first, then the bias (rounding only).
        const float g = 1.41421356f;
        var y = ModulatedConv2d.Forward(x, EffectiveRawWeight(), styles, demodulate: true, up: Up, bias: Bias * g, gain: g);
        switch (noise.Mode)
        {
            case NoiseMode.Const:
                y = y + NoiseConst * (NoiseStrength * g);
                break;
            case NoiseMode.Random:
                var rng = noise.Rng ?? throw new ArgumentException("NoiseMode.Random needs a seeded Random");
                y = y + Tensor.Randn(x.Backend, rng, [y.Shape[0], 1, Resolution, Resolution]) * (NoiseStrength * g);
                break;
        }
        y = y.LeakyRelu(0.2f);
        return ConvClamp is float c ? y.Clamp(-c, c) : y;
    });
}

/// <summary>StyleGAN2 ToRGBLayer: 1×1 modulated conv without demodulation, styles scaled by 1/√I, + bias, optional clamp.</summary>
public sealed class ToRgbLayer
{
    public string Name { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public FullyConnectedLayer Affine { get; }
    public float? ConvClamp { get; }
    public ILayerAdapter? Adapter { get; set; }

    internal ToRgbLayer(ParameterStore store, string prefix, int inC, int outC, int wDim, float? convClamp)
    {
        Name = prefix; ConvClamp = convClamp;
        Weight = store.Get(prefix + ".weight", [outC, inC, 1, 1]);
        Bias = store.Get(prefix + ".bias", [outC], ParameterInit.Zeros);
        Affine = FullyConnectedLayer.Load(store, prefix + ".affine", wDim, inC, 1f, FcActivation.Linear, biasInit: 1f);
    }

    public int InChannels => Weight.Shape[1];
    public int OutChannels => Weight.Shape[0];
    public float WeightGain => 1f / MathF.Sqrt(InChannels);

    public Tensor EffectiveRawWeight()
    {
        var d = Adapter?.WeightDelta(Weight);
        return d == null ? Weight : Weight + d;
    }

    /// <summary>x [N,I,h,h], w [N,w_dim] → [N,O,h,h].</summary>
    public Tensor Forward(Tensor x, Tensor w) => InferenceScope.Run(() =>
    {
        var styles = Affine.Forward(w) * WeightGain;
        var y = ModulatedConv2d.Forward(x, EffectiveRawWeight(), styles, demodulate: false, bias: Bias);
        return ConvClamp is float c ? y.Clamp(-c, c) : y;
    });
}
