// Reductions over any set of axes (sum, mean, max). Reduced axes are permuted last and the
// backend reduces the inner dimension; gradients broadcast back over the reduced axes.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Sum, mean and max over axes with autograd.</summary>
public static class Reductions
{
    sealed record ReduceState(int[] InputShape, int[] KeptShape, int Count);

    /// <summary>Σ over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Sum(Tensor x, int[]? axes = null, bool keepDim = false) => Reduce(OpKind.Sum, ReduceOp.Sum, x, axes, keepDim);
    /// <summary>max over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDim = false) => Reduce(OpKind.Max, ReduceOp.Max, x, axes, keepDim);

    /// <summary>Mean over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Mean(Tensor x, int[]? axes = null, bool keepDim = false)
    {
        var st = StateFor(x, axes, "mean");
        Tensor y;
        using (GradMode.NoGrad())
            y = Elementwise.Unary(UnaryOp.Affine, Reduce(OpKind.Sum, ReduceOp.Sum, x, axes, keepDim), 1f / Math.Max(1, st.Count), 0f);
        Node.Record(y, OpKind.Mean, [x], st);
        return y;
    }

    static ReduceState StateFor(Tensor x, int[]? axes, string op)
    {
        var ax = NormalizeAxes(op, x, axes);
        var kept = (int[])x.Shape.Clone();
        int count = 1;
        foreach (var a in ax) { count *= x.Shape[a]; kept[a] = 1; }
        return new ReduceState(x.Shape, kept, count);
    }

    static int[] NormalizeAxes(string op, Tensor x, int[]? axes)
    {
        if (axes == null) return Enumerable.Range(0, x.Rank).ToArray();
        var n = axes.Select(a => ShapeUtil.NormalizeAxis(op, a, x.Rank)).Distinct().OrderBy(a => a).ToArray();
        if (n.Length != axes.Length) throw new ShapeMismatchException(op, $"repeated axis in {TensorException.Fmt(axes)}");
        return n;
    }

    static Tensor Reduce(OpKind kind, ReduceOp op, Tensor x, int[]? axes, bool keepDim)
    {
        string name = kind.ToString();
        var be = OpChecks.Float(name, x);
        var ax = NormalizeAxes(name, x, axes);
        var st = StateFor(x, axes, name);
        if (op == ReduceOp.Max && st.Count == 0)
            throw new ShapeMismatchException(name, $"cannot take the max over an empty axis of {TensorException.Fmt(x.Shape)}");
        var keptAxes = Enumerable.Range(0, x.Rank).Where(a => !ax.Contains(a)).ToArray();
        Tensor arranged;
        using (GradMode.NoGrad())
            arranged = ShapeOps.Compact(ShapeOps.Permute(x, keptAxes.Concat(ax).ToArray()));
        int outer = (int)keptAxes.Aggregate(1L, (p, a) => p * x.Shape[a]);
        var outShape = keepDim ? st.KeptShape : keptAxes.Select(a => x.Shape[a]).ToArray();
        var y = Tensor.Empty(be, outShape);
        if (st.Count == 0) be.Fill(y.Storage, 0, y.Numel, 0f);
        else be.ReduceLastAxis(op, arranged.Storage, 0, outer, st.Count, y.Storage);
        Node.Record(y, kind, [x], st, saveOutput: op == ReduceOp.Max);
        return y;
    }

    internal static Tensor?[] SumBackward(Node node, Tensor gy)
    {
        var s = node.State<ReduceState>();
        return [ShapeOps.Contiguous(ShapeOps.Expand(ShapeOps.Reshape(gy, s.KeptShape), s.InputShape), forceCopy: true)];
    }

    internal static Tensor?[] MeanBackward(Node node, Tensor gy)
    {
        var s = node.State<ReduceState>();
        var g = Elementwise.Unary(UnaryOp.Affine, ShapeOps.Contiguous(ShapeOps.Expand(ShapeOps.Reshape(gy, s.KeptShape), s.InputShape)), 1f / Math.Max(1, s.Count), 0f);
        return [g];
    }

    /// <summary>amax semantics: the gradient is shared evenly between tied maxima.</summary>
    internal static Tensor?[] MaxBackward(Node node, Tensor gy)
    {
        var s = node.State<ReduceState>();
        var x = node.Inputs[0];
        var yb = ShapeOps.Expand(ShapeOps.Reshape(node.Output, s.KeptShape), s.InputShape);
        var ones = Tensor.Ones(x.Backend, s.InputShape);
        // below = 1 where y - x > 0 (not a maximum); mask = 1 - below.
        var below = Elementwise.StepMask(Elementwise.Sub(yb, x), ones);
        var mask = Elementwise.Sub(ones, below);
        var axes = Enumerable.Range(0, s.InputShape.Length).Where(a => s.KeptShape[a] == 1 && s.InputShape[a] != 1).ToArray();
        var ties = Sum(mask, axes, keepDim: true);
        var share = Elementwise.Div(ShapeOps.Reshape(gy, s.KeptShape), ties);
        return [Elementwise.Mul(mask, share)];
    }
}
