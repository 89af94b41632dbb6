// 2-D average pooling (padding counted, like PyTorch's default) and max pooling (padding ignored,
// argmax kept for the backward pass), forward and backward side by side.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>2-D max and average pooling with autograd.</summary>
public static class Pooling
{
    sealed record PoolState(PoolKind Kind, PoolGeometry Geometry, int[] InputShape, Tensor? Argmax);

    /// <summary>Square average pooling (padding counted as zeros).</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride, int padding = 0) => Pool(PoolKind.Average, x, kernel, kernel, stride, stride, padding, padding);
    /// <summary>Square max pooling.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride, int padding = 0) => Pool(PoolKind.Max, x, kernel, kernel, stride, stride, padding, padding);

    /// <summary>Pools x [N,C,H,W] with a kh×kw window.</summary>
    public static Tensor Pool(PoolKind kind, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        string op = kind == PoolKind.Max ? "max_pool2d" : "avg_pool2d";
        var be = OpChecks.Float(op, x);
        OpChecks.Rank(op, x, 4, "input");
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || ph * 2 > kh || pw * 2 > kw)
            throw new ShapeMismatchException(op, $"invalid kernel {kh}x{kw}, stride {sh}x{sw} or padding {ph}x{pw} (padding may be at most half the kernel)");
        var g = new PoolGeometry(x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], kh, kw, sh, sw, ph, pw);
        if (g.OH <= 0 || g.OW <= 0) throw new ShapeMismatchException(op, $"window {kh}x{kw} does not fit input {TensorException.Fmt(x.Shape)}");
        Tensor xc;
        using (GradMode.NoGrad()) xc = ShapeOps.Compact(x);
        var y = Tensor.Empty(be, [x.Shape[0], x.Shape[1], g.OH, g.OW]);
        Tensor? argmax = kind == PoolKind.Max ? Tensor.Empty(be, y.Shape, DType.Int32) : null;
        be.Pool2d(kind, g, xc.Storage, y.Storage, argmax?.Storage);
        Node.Record(y, kind == PoolKind.Max ? OpKind.MaxPool2d : OpKind.AvgPool2d, [xc], new PoolState(kind, g, x.Shape, argmax));
        return y;
    }

    internal static Tensor?[] PoolBackward(Node node, Tensor gy)
    {
        var s = node.State<PoolState>();
        var gyc = ShapeOps.Compact(gy);
        var gx = Tensor.Empty(gy.Backend, s.InputShape);
        gy.Backend.Pool2dGrad(s.Kind, s.Geometry, gyc.Storage, s.Argmax?.Storage, gx.Storage);
        return [gx];
    }
}
