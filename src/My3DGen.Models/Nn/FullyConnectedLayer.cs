// StyleGAN2's FullyConnectedLayer with equalized learning rate: y = act(x·(W·g)ᵀ + b·g_b)·gain with
// g = lr_mul/√in and g_b = lr_mul; used by the mapping network, the style affines and the tri-plane decoder.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Nn;

/// <summary>Activation of a fully connected layer.</summary>
internal enum FcActivation { Linear, LeakyRelu }

/// <summary>Equalized-lr FC layer. Weight [out, in] and bias [out] are the raw stored tensors.</summary>
internal sealed class FullyConnectedLayer
{
    public string Name { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public float LrMul { get; }
    public FcActivation Activation { get; }
    public int InFeatures => Weight.Shape[1];
    public int OutFeatures => Weight.Shape[0];
    public float WeightGain => LrMul / MathF.Sqrt(InFeatures);
    public float BiasGain => LrMul;
    /// <summary>Optional LoRA-style adapter: its weight delta joins the raw weight, its output delta the linear output.</summary>
    public ILayerAdapter? Adapter { get; set; }

    public FullyConnectedLayer(string name, Tensor weight, Tensor bias, float lrMul, FcActivation activation)
    {
        if (weight.Rank != 2 || bias.Rank != 1 || bias.Shape[0] != weight.Shape[0])
            throw new ArgumentException($"{name}: weight {string.Join("x", weight.Shape)} and bias {string.Join("x", bias.Shape)} do not form an FC layer");
        Name = name; Weight = weight; Bias = bias; LrMul = lrMul; Activation = activation;
    }

    /// <summary>Builds the layer from <paramref name="store"/> tensors "{prefix}.weight" [out,in] and "{prefix}.bias" [out].</summary>
    public static FullyConnectedLayer Load(Eg3d.ParameterStore store, string prefix, int inF, int outF, float lrMul, FcActivation act, float biasInit = 0f)
    {
        var w = store.Get(prefix + ".weight", [outF, inF], Eg3d.ParameterInit.Normal, 1f / lrMul);
        var b = store.Get(prefix + ".bias", [outF], biasInit == 0f ? Eg3d.ParameterInit.Zeros : Eg3d.ParameterInit.Ones, biasInit);
        return new FullyConnectedLayer(prefix, w, b, lrMul, act);
    }

    /// <summary>The raw weight plus the adapter's delta (the single place the weight is read).</summary>
    public Tensor EffectiveRawWeight()
    {
        var d = Adapter?.WeightDelta(Weight);
        return d == null ? Weight : Weight + d;
    }

    /// <summary>x [N, in] → [N, out].</summary>
    public Tensor Forward(Tensor x)
    {
        var y = x.MatMul(EffectiveRawWeight().Transpose(0, 1)) * WeightGain;
        y = y + (BiasGain == 1f ? Bias : Bias * BiasGain);
        var extra = Adapter?.OutputDelta(x, y);
        if (extra != null) y = y + extra;
        return Activation == FcActivation.LeakyRelu ? y.LeakyRelu(0.2f) * MathF.Sqrt(2f) : y;
    }
}
