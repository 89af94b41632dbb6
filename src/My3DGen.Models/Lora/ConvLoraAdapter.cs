// LoRA on a (modulated) conv weight [O, I, k, k]: ΔW = s·reshape(B·A) with A [r·k, I·k·k] and B [O, r·k]
// (My3DGen's factorisation; k = 1 for ToRGB), added to the raw weight before modulation/demodulation. As an
// ILowRankConvAdapter it exposes A, B and s so the layer can apply them without forming ΔW (the fused path).
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Lora;

/// <summary>The adapter of one conv layer; its fused-path setting is its set's (<see cref="LoraNetwork.Fused"/>).</summary>
internal sealed class ConvLoraAdapter : ILowRankConvAdapter
{
    public LoraFactors Factors { get; }
    readonly int[] _weightShape;
    readonly LoraNetwork _owner;

    public ConvLoraAdapter(LoraNetwork owner, string name, IBackend backend, int[] weightShape, LoraOptions options, Random rng)
    {
        _owner = owner;
        _weightShape = weightShape;
        int o = weightShape[0], i = weightShape[1], k = weightShape[2];
        Factors = new LoraFactors(name, backend, options.Rank * k, i * k * k, o, options.Scaling, rng);
    }

    public Tensor A => Factors.A;
    public Tensor B => Factors.B;
    public float Scaling => Factors.Scaling;
    public FusedLoraMode Fused => _owner.Fused;

    public Tensor? WeightDelta(Tensor rawWeight) => Factors.Product().Reshape(_weightShape);

    public Tensor? OutputDelta(Tensor input, Tensor output) => null;
}
