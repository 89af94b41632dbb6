// StyleGAN2 SynthesisLayer: styles = affine(w), modulated+demodulated 3×3 conv (optionally ×2 up), noise,
// bias, lrelu·√2 and optional clamp; and ToRGB. The raw weight is read in one place (ModConv): a low-rank adapter takes
// the fused path (LowRankModulatedConv, no ΔW formed), any other adapter's delta is added to the raw weight.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Synthesis;

/// <summary>x [N,I,h,h], w [N,w_dim] → [N,O,res,res] with res = h·up.</summary>
internal sealed class SynthesisLayer
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
    public Tensor EffectiveRawWeight() => EffectiveRawWeight(Weight, Adapter);

    internal static Tensor EffectiveRawWeight(Tensor weight, ILayerAdapter? adapter)
    {
        var d = adapter?.WeightDelta(weight);
        return d == null ? weight : weight + d;
    }

    /// <summary>The modulated conv of the raw weight as changed by <paramref name="adapter"/>. The fused path is taken only while the
    /// factors are being trained (its gain is the backward: W0 needs no weight gradient, ΔW, W0 + ΔW, the per-sample weights and
    /// their full-size gradients are never formed); a no-grad forward is cheaper as one modulated conv of W0 + ΔW, and then equals
    /// the base model bit for bit at B = 0. In Auto mode only where the output is smaller than the per-sample weight (the
    /// low-resolution layers; the mode is the adapter's <see cref="ILowRankConvAdapter.Fused"/>): elsewhere the fused path's extra saved activations (x·s and the pre-demodulation output) cost
    /// more memory and time than the weight copies it avoids (ffhq512 training step: 6.6 → 11.7 GiB, 21.6 → 24.0 s with it everywhere).</summary>
    internal static Tensor ModConv(Tensor x, Tensor weight, ILayerAdapter? adapter, Tensor styles, bool demodulate, int up, Tensor? bias, float gain) =>
        adapter is ILowRankConvAdapter lr && Engine.Autograd.GradMode.IsEnabled && (lr.A.RequiresGrad || lr.B.RequiresGrad)
            && (lr.Fused == FusedLoraMode.Always
                || lr.Fused == FusedLoraMode.Auto && (long)x.Shape[2] * x.Shape[3] * up * up < (long)weight.Shape[1] * weight.Shape[2] * weight.Shape[3])
            ? LowRankModulatedConv.Forward(x, weight, lr.A, lr.B, lr.Scaling, styles, demodulate, up, bias, gain)
            : ModulatedConv2d.Forward(x, EffectiveRawWeight(weight, adapter), styles, demodulate, up, bias, gain);

    public Tensor Forward(Tensor x, Tensor w, NoiseSettings noise) => InferenceScope.Run(() =>
    {
        var styles = Affine.Forward(w);
        if (ModConvKernelRoute.Current == ModConvRoute.Kernels)
            return ModConvKernelRoute.Forward(x, Weight, Adapter, styles, demodulate: true, Up, Bias, 1.41421356f, 0.2f, ConvClamp,
                NoiseInput(noise, x.Shape[0]), NoiseStrength);
        // lrelu(v)·√2 = lrelu(√2·v), so the √2 gain is folded into the (tiny) per-sample weights, bias and noise scale instead
        // of a pass over the output. The bias joins the conv's output pass; EG3D adds noise first, then the bias (rounding only).
        const float g = 1.41421356f;
        var y = ModConv(x, Weight, Adapter, styles, demodulate: true, Up, Bias * g, g);
        switch (noise.Mode)
        {
            case NoiseMode.Const:
                var map = noise.Maps != null && noise.Maps.TryGetValue(Name, out var m) ? m : NoiseConst;
                y = y + map * (NoiseStrength * g);
                break;
            case NoiseMode.Random:
                var rng = noise.Rng ?? throw new ArgumentException("NoiseMode.Random needs a seeded Random");
                y = y + Tensor.Randn(x.Backend, rng, [y.Shape[0], 1, Resolution, Resolution]) * (NoiseStrength * g);
                break;
        }
        y = y.LeakyRelu(0.2f);
        return ConvClamp is float c ? y.Clamp(-c, c) : y;
    });

    /// <summary>The noise map the epilogue adds (× strength): the named or stored constant map [res, res], or fresh per-sample
    /// noise [N, res, res]; null without noise.</summary>
    Tensor? NoiseInput(NoiseSettings noise, int batch) => noise.Mode switch
    {
        NoiseMode.Const => (noise.Maps != null && noise.Maps.TryGetValue(Name, out var m) ? m : NoiseConst).Reshape(Resolution, Resolution),
        NoiseMode.Random => Tensor.Randn(Weight.Backend, noise.Rng ?? throw new ArgumentException("NoiseMode.Random needs a seeded Random"),
            [batch, Resolution, Resolution]),
        _ => null,
    };
}

/// <summary>StyleGAN2 ToRGBLayer: 1×1 modulated conv without demodulation, styles scaled by 1/√I, + bias, optional clamp.</summary>
internal sealed class ToRgbLayer
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

    public Tensor EffectiveRawWeight() => SynthesisLayer.EffectiveRawWeight(Weight, Adapter);

    /// <summary>x [N,I,h,h], w [N,w_dim] → [N,O,h,h].</summary>
    public Tensor Forward(Tensor x, Tensor w) => InferenceScope.Run(() =>
    {
        var styles = Affine.Forward(w) * WeightGain;
        if (ModConvKernelRoute.Current == ModConvRoute.Kernels)
            return ModConvKernelRoute.Forward(x, Weight, Adapter, styles, demodulate: false, 1, Bias, 1f, 1f, ConvClamp, null, null);
        var y = SynthesisLayer.ModConv(x, Weight, Adapter, styles, demodulate: false, 1, Bias, 1f);
        return ConvClamp is float c ? y.Clamp(-c, c) : y;
    });
}
