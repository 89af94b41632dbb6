// Gather along one axis with int32 indices (index_select); its gradient scatters back with index-add.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Gathering rows along an axis (index select) with autograd.</summary>
public static class Indexing
{
    sealed record SelectState(int Axis, int Outer, int AxisLength, int Inner, int Count);

    /// <summary>y = x.index_select(axis, indices); indices is a 1-D int32 tensor of values in [0, x.Shape[axis]).</summary>
    public static Tensor IndexSelect(Tensor x, int axis, Tensor indices)
    {
        const string op = "index_select";
        var be = OpChecks.Float(op, x);
        OpChecks.SameBackend(op, x, indices);
        indices.CheckAlive(op);
        if (indices.DType != DType.Int32)
            throw new DTypeMismatchException(op, $"indices must be Int32, got {indices.DType} {TensorException.Fmt(indices.Shape)}");
        OpChecks.Rank(op, indices, 1, "indices");
        axis = ShapeUtil.NormalizeAxis(op, axis, x.Rank);
        var idx = indices.ToIntArray();
        int len = x.Shape[axis];
        foreach (var i in idx)
            if (i < 0 || i >= len) throw new ShapeMismatchException(op, $"index {i} is out of range for dim {axis} of {TensorException.Fmt(x.Shape)}");
        int outer = x.Shape.Take(axis).Aggregate(1, (p, q) => p * q);
        int inner = x.Shape.Skip(axis + 1).Aggregate(1, (p, q) => p * q);
        Tensor xc, ic;
        using (GradMode.NoGrad()) { xc = ShapeOps.Compact(x); ic = ShapeOps.Compact(indices); }
        var shape = (int[])x.Shape.Clone(); shape[axis] = idx.Length;
        var y = Tensor.Empty(be, shape);
        if (y.Numel > 0) be.IndexSelect(xc.Storage, outer, len, inner, ic.Storage, idx.Length, y.Storage);
        var yState = new SelectState(axis, outer, len, inner, idx.Length);
        Node.Record(y, OpKind.IndexSelect, [xc, ic], yState);
        return y;
    }

    internal static Tensor?[] IndexSelectBackward(Node node, Tensor gy)
    {
        var s = node.State<SelectState>();
        var x = node.Inputs[0];
        var gx = Tensor.Zeros(gy.Backend, x.Shape);
        var gyc = ShapeOps.Compact(gy);
        if (gy.Numel > 0) gy.Backend.IndexAdd(gyc.Storage, s.Outer, s.AxisLength, s.Inner, node.Inputs[1].Storage, s.Count, gx.Storage);
        return [gx, null];
    }
}
