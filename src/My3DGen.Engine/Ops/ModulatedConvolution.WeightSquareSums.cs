// The weight half of StyleGAN2's demodulation: q[o,i] = Σ_t W[o,i,t]² for a conv weight [O, I, K, K] (then
// d[n,o] = rsqrt(Σ_i s[n,i]²·q[o,i] + ε) is a small matmul). Kept between calls while the weight is unchanged
// (DerivedCache), so a frozen weight costs one [O, I] read per call instead of a pass over all its taps; the gradient,
// beside it, is gW[o,i,t] = 2·W[o,i,t]·gq[o,i] in one broadcast pass.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

public static partial class ModulatedConvolution
{
    /// <summary>What DerivedCache holds for a weight: its square sums over the taps, for these sizes.</summary>
    sealed record SquareSumsKey(int O, int I, int Taps);

    /// <summary>q [O, I] = Σ over the K×K taps of weight [O, I, K, K] squared. Differentiable; cached for an unchanged weight.</summary>
    public static Tensor WeightSquareSums(Tensor weight)
    {
        const string op = "weight_square_sums";
        OpChecks.Float(op, weight);
        OpChecks.Rank(op, weight, 4, "weight");
        var w = ShapeOps.Compact(weight);
        int o = w.Shape[0], i = w.Shape[1], taps = w.Shape[2] * w.Shape[3];
        Tensor q;
        using (var sums = DerivedCache.Get(w.Storage, new SquareSumsKey(o, i, taps), 4L * o * i, () => SquareSums(w, o, i, taps), t => t.Dispose()))
            q = sums.Value.ViewOf([o, i], [i, 1], 0);   // this caller's handle (the cache keeps its own)
        Node.Record(q, OpKind.WeightSquareSums, [w]);
        return q;
    }

    /// <summary>The sums computed once, outside every scope (the cache or the one-call handle owns them).</summary>
    static Tensor SquareSums(Tensor w, int o, int i, int taps)
    {
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var q = ShapeOps.Compact(Reductions.Sum(w.Reshape(o, i, taps).Square(), [2]));
        return scope.Forget(q);
    }

    internal static Tensor?[] WeightSquareSumsBackward(Node node, Tensor gq)
    {
        var w = node.Inputs[0];
        int o = w.Shape[0], i = w.Shape[1], taps = w.Shape[2] * w.Shape[3];
        return [(w.Reshape(o, i, taps) * (gq.Reshape(o, i, 1) * 2f)).Reshape(w.Shape)];
    }
}
