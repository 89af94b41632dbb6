// Random weights of the right shapes for tests, benchmarks and offline demos: tensor k of a network's state-dict
// order draws HashUniform stream seed·1000 + k, so a Python script can rebuild the exact same weights
// (tools/metrics/hash_weights.py) without any weight file being stored.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Perceptual;

internal sealed class HashWeights(IBackend backend, int seed)
{
    uint _ordinal;

    /// <summary>The next tensor in state-dict order, uniform in [lo, hi).</summary>
    public Tensor Next(int[] shape, double lo, double hi)
    {
        uint stream = (uint)seed * 1000u + _ordinal++;
        return Tensor.FromArray(backend, HashUniform.Fill(stream, shape.Aggregate(1, (a, b) => a * b), lo, hi), shape);
    }

    /// <summary>He-uniform bound sqrt(6 / fan_in) of a weight [out, in, (kh, kw)].</summary>
    public static double HeBound(int[] shape) => Math.Sqrt(6.0 / shape.Skip(1).Aggregate(1, (a, b) => a * b));
}
