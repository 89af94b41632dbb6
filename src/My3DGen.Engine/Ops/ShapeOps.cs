// Shape ops (not to be confused with a tensor's memory layout): views that only change shape/strides/offset (reshape, permute, slice, expand) and the
// copying ops built on the strided Copy primitive (contiguous, concat, pad). Backward beside forward.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;

namespace My3DGen.Engine.Ops;

/// <summary>Views and copies that change shape, order or extent (reshape, permute, slice, concat, pad, ...), with autograd.</summary>
public static class ShapeOps
{
    /// <summary>A dense row-major copy of x, or x itself when it is already contiguous and no copy is forced.</summary>
    public static Tensor Contiguous(Tensor x, bool forceCopy = false)
    {
        x.CheckAlive("contiguous");
        if (x.IsContiguous && !forceCopy) return x;
        var y = Tensor.Empty(x.Backend, x.Shape, x.DType);
        if (y.Numel > 0) x.Backend.Copy(x.Storage, x.View(), y.Storage, y.View());
        Node.Record(y, OpKind.Contiguous, [x]);
        return y;
    }

    internal static Tensor?[] ContiguousBackward(Node node, Tensor gy) => [gy];

    /// <summary>Contiguous and starting at offset 0 (what the offset-free primitives need).</summary>
    public static Tensor Compact(Tensor x) => x.IsContiguous && x.Offset == 0 ? x : Contiguous(x, forceCopy: true);

    /// <summary>View with a new shape (one entry may be -1); copies first when x is not contiguous.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        x.CheckAlive("reshape");
        shape = ResolveShape(x, shape);
        if (ShapeUtil.SameShape(shape, x.Shape)) return x;
        var xc = Contiguous(x);
        var y = xc.ViewOf(shape, ShapeUtil.ContiguousStrides(shape), xc.Offset);
        Node.Record(y, OpKind.Reshape, [xc], xc.Shape);
        return y;
    }

    internal static Tensor?[] ReshapeBackward(Node node, Tensor gy) => [Reshape(gy, node.State<int[]>())];

    static int[] ResolveShape(Tensor x, int[] shape)
    {
        shape = (int[])shape.Clone();
        int infer = Array.IndexOf(shape, -1);
        long known = 1;
        for (int i = 0; i < shape.Length; i++) if (i != infer) known *= shape[i];
        if (infer >= 0)
        {
            if (known == 0 || x.Numel % known != 0)
                throw new ShapeMismatchException("reshape", $"cannot infer -1 in {TensorException.Fmt(shape)} for {x.Numel} elements of {TensorException.Fmt(x.Shape)}");
            shape[infer] = (int)(x.Numel / known);
        }
        if (ShapeUtil.Numel(shape) != x.Numel || shape.Any(s => s < 0))
            throw new ShapeMismatchException("reshape", $"cannot view {TensorException.Fmt(x.Shape)} ({x.Numel} elements) as {TensorException.Fmt(shape)}");
        return shape;
    }

    /// <summary>Reorders dimensions (a view): output dim i is input dim <paramref name="dims"/>[i].</summary>
    public static Tensor Permute(Tensor x, params int[] dims)
    {
        x.CheckAlive("permute");
        if (dims.Length != x.Rank || dims.Distinct().Count() != x.Rank || dims.Any(d => d < 0 || d >= x.Rank))
            throw new ShapeMismatchException("permute", $"{TensorException.Fmt(dims)} is not a permutation of the {x.Rank} dims of {TensorException.Fmt(x.Shape)}");
        var y = x.ViewOf(dims.Select(d => x.Shape[d]).ToArray(), dims.Select(d => x.Strides[d]).ToArray(), x.Offset);
        Node.Record(y, OpKind.Permute, [x], dims);
        return y;
    }

    internal static Tensor?[] PermuteBackward(Node node, Tensor gy)
    {
        var dims = node.State<int[]>();
        var inv = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) inv[dims[i]] = i;
        return [Permute(gy, inv)];
    }

    /// <summary>Swaps axes <paramref name="a"/> and <paramref name="b"/> (a view).</summary>
    public static Tensor Transpose(Tensor x, int a, int b)
    {
        a = ShapeUtil.NormalizeAxis("transpose", a, x.Rank);
        b = ShapeUtil.NormalizeAxis("transpose", b, x.Rank);
        var dims = Enumerable.Range(0, x.Rank).ToArray();
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(x, dims);
    }

    sealed record SliceState(int[] InputShape, int Axis, int Start, int Length, int Step);

    /// <summary>View of <paramref name="length"/> entries along <paramref name="axis"/> from <paramref name="start"/>, every <paramref name="step"/>-th.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length, int step = 1)
    {
        x.CheckAlive("slice");
        axis = ShapeUtil.NormalizeAxis("slice", axis, x.Rank);
        int n = x.Shape[axis];
        if (step < 1 || start < 0 || length < 0 || (length > 0 && start + (long)(length - 1) * step >= n))
            throw new ShapeMismatchException("slice", $"range start {start}, length {length}, step {step} exceeds dim {axis} of {TensorException.Fmt(x.Shape)}");
        var shape = (int[])x.Shape.Clone(); shape[axis] = length;
        var strides = (int[])x.Strides.Clone(); strides[axis] *= step;
        var y = x.ViewOf(shape, strides, x.Offset + start * x.Strides[axis]);
        Node.Record(y, OpKind.Slice, [x], new SliceState(x.Shape, axis, start, length, step));
        return y;
    }

    internal static Tensor?[] SliceBackward(Node node, Tensor gy)
    {
        var s = node.State<SliceState>();
        var gx = Tensor.Zeros(gy.Backend, s.InputShape);
        var strides = (int[])gx.Strides.Clone(); strides[s.Axis] *= s.Step;
        var dst = KernelView.Create(gy.Shape, strides, s.Start * gx.Strides[s.Axis]);
        gy.Backend.Copy(gy.Storage, gy.View(), gx.Storage, dst);
        return [gx];
    }

    /// <summary>Broadcast view to <paramref name="shape"/> (size-1 dims repeat with stride 0).</summary>
    public static Tensor Expand(Tensor x, params int[] shape)
    {
        x.CheckAlive("expand");
        var full = ShapeUtil.Broadcast("expand", x.Shape, shape);
        if (!ShapeUtil.SameShape(full, shape))
            throw new ShapeMismatchException("expand", $"cannot expand {TensorException.Fmt(x.Shape)} to {TensorException.Fmt(shape)}");
        if (ShapeUtil.SameShape(shape, x.Shape)) return x;
        var v = x.BroadcastView(shape);
        int pad = shape.Length - x.Rank;
        var strides = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
            strides[i] = i < pad ? 0 : (x.Shape[i - pad] == 1 && shape[i] != 1 ? 0 : x.Strides[i - pad]);
        var y = x.ViewOf((int[])shape.Clone(), strides, v.Offset);
        Node.Record(y, OpKind.Expand, [x], x.Shape);
        return y;
    }

    internal static Tensor?[] ExpandBackward(Node node, Tensor gy) => [Elementwise.SumTo(gy, node.State<int[]>())];

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dims must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        if (xs.Count == 0) throw new ShapeMismatchException("concat", "needs at least one tensor");
        var be = OpChecks.SameBackend("concat", xs.ToArray());
        foreach (var t in xs) t.CheckAlive("concat");
        axis = ShapeUtil.NormalizeAxis("concat", axis, xs[0].Rank);
        var shape = (int[])xs[0].Shape.Clone();
        shape[axis] = 0;
        foreach (var t in xs)
        {
            bool ok = t.Rank == shape.Length && t.DType == xs[0].DType;
            for (int i = 0; ok && i < t.Rank; i++) ok = i == axis || t.Shape[i] == shape[i];
            if (!ok) throw new ShapeMismatchException("concat", $"shapes {string.Join(" ", xs.Select(q => TensorException.Fmt(q.Shape)))} differ outside axis {axis}");
            shape[axis] += t.Shape[axis];
        }
        var y = Tensor.Empty(be, shape, xs[0].DType);
        int at = 0;
        foreach (var t in xs)
        {
            if (t.Numel > 0)
                be.Copy(t.Storage, t.View(), y.Storage, KernelView.Create(t.Shape, y.Strides, at * y.Strides[axis]));
            at += t.Shape[axis];
        }
        Node.Record(y, OpKind.Concat, xs.ToArray(), axis);
        return y;
    }

    internal static Tensor?[] ConcatBackward(Node node, Tensor gy)
    {
        int axis = node.State<int>();
        var inputs = node.Inputs;
        var grads = new Tensor?[inputs.Length];
        int at = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            int len = inputs[i].Shape[axis];
            if (node.NeedsGrad[i]) grads[i] = Contiguous(Slice(gy, axis, at, len));
            at += len;
        }
        return grads;
    }

    sealed record PadState(int[] InputShape, int[] Before);

    /// <summary>Constant padding: <paramref name="pads"/> holds (before, after) per axis from the first axis on
    /// (fewer pairs pad only the leading axes listed… use one pair per axis). Negative values crop.</summary>
    public static Tensor Pad(Tensor x, int[] pads, float value = 0f)
    {
        x.CheckAlive("pad");
        if (pads.Length != 2 * x.Rank)
            throw new ShapeMismatchException("pad", $"needs {2 * x.Rank} pad values for {TensorException.Fmt(x.Shape)}, got {pads.Length}");
        var src = x;
        for (int a = 0; a < x.Rank; a++)
        {
            int cb = Math.Max(0, -pads[2 * a]), ca = Math.Max(0, -pads[2 * a + 1]);
            if (cb + ca > 0)
            {
                if (cb + ca > src.Shape[a]) throw new ShapeMismatchException("pad", $"crop of {cb + ca} exceeds dim {a} of {TensorException.Fmt(x.Shape)}");
                src = Slice(src, a, cb, src.Shape[a] - cb - ca);
            }
        }
        var before = new int[x.Rank];
        var shape = new int[x.Rank];
        for (int a = 0; a < x.Rank; a++)
        {
            before[a] = Math.Max(0, pads[2 * a]);
            shape[a] = src.Shape[a] + before[a] + Math.Max(0, pads[2 * a + 1]);
        }
        if (ShapeUtil.SameShape(shape, src.Shape)) return src;
        var y = Tensor.Full(x.Backend, shape, value);
        int off = 0;
        for (int a = 0; a < x.Rank; a++) off += before[a] * y.Strides[a];
        if (src.Numel > 0) x.Backend.Copy(src.Storage, src.View(), y.Storage, KernelView.Create(src.Shape, y.Strides, off));
        Node.Record(y, OpKind.Pad, [src], new PadState(src.Shape, before));
        return y;
    }

    internal static Tensor?[] PadBackward(Node node, Tensor gy)
    {
        var s = node.State<PadState>();
        var g = gy;
        for (int a = 0; a < s.InputShape.Length; a++)
            if (g.Shape[a] != s.InputShape[a]) g = Slice(g, a, s.Before[a], s.InputShape[a]);
        return [Contiguous(g)];
    }
}
