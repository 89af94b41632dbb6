// LoRA on an equalized-lr FC (the style affines): the term s·(x·Aᵀ)·Bᵀ is added to the output after
// the layer's gain and bias, not multiplied by the gain (My3DGen's FullyConnectedLayerWrapper).
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;

namespace My3DGen.Models.Lora;

/// <summary>The adapter of one style affine.</summary>
internal sealed class AffineLoraAdapter : ILayerAdapter
{
    public LoraFactors Factors { get; }

    public AffineLoraAdapter(string name, IBackend backend, int inFeatures, int outFeatures, LoraOptions options, Random rng) =>
        Factors = new LoraFactors(name, backend, options.Rank, inFeatures, outFeatures, options.Scaling, rng);

    public Tensor? WeightDelta(Tensor rawWeight) => null;

    public Tensor? OutputDelta(Tensor input, Tensor output) =>
        input.MatMul(Factors.A.Transpose(0, 1)).MatMul(Factors.B.Transpose(0, 1)) * Factors.Scaling;
}
