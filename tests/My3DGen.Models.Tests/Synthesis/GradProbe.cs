// Shared by the route-equivalence tests: random leaf inputs that require grad, and one backward with a fixed random
// output weighting, returning the output and every input's gradient for comparison between two implementations.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Tests.Synthesis;

internal static class GradProbe
{
    /// <summary>Leaf tensors of the given shapes, uniform in [−1, 1), RequiresGrad = true.</summary>
    public static Tensor[] Inputs(IBackend be, Random rng, params int[][] shapes) => shapes.Select(s =>
    {
        var t = Tensor.FromArray(be, Enumerable.Range(0, s.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), s);
        t.RequiresGrad = true;
        return t;
    }).ToArray();

    /// <summary>[y, grad of every input] for L = Σ r·y with a fixed random r.</summary>
    public static List<float[]> Backprop(Tensor y, Tensor[] inputs, Random rng)
    {
        var r = Tensor.FromArray(y.Backend, Enumerable.Range(0, (int)y.Numel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), y.Shape);
        (y * r).Sum().Backward();
        return [y.ToArray(), .. inputs.Select(t => t.Grad!.ToArray())];
    }
}
