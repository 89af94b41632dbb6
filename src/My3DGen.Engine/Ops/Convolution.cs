// 2-D convolution and transposed convolution (dilation 1, groups) on the backend's conv primitives.
// Frozen operands get no gradient work: the weight gradient is computed only when the weight requires grad.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>2-D convolution and transposed convolution with autograd.</summary>
public static class Convolution
{
    /// <summary>Saved geometry; Transposed marks conv_transpose2d, whose geometry is that of the adjoint convolution.</summary>
    sealed record ConvState(ConvGeometry Geometry, bool HasBias, bool Transposed);

    static ConvGeometry Geometry(string op, Tensor x, Tensor w, int strideH, int strideW, int padH, int padW, int groups)
    {
        OpChecks.Rank(op, x, 4, "input");
        OpChecks.Rank(op, w, 4, "weight");
        if (groups < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
            throw new ShapeMismatchException(op, $"invalid stride ({strideH},{strideW}), padding ({padH},{padW}) or groups {groups}");
        int n = x.Shape[0], c = x.Shape[1];
        {
            if (c % groups != 0 || w.Shape[0] % groups != 0 || w.Shape[1] * groups != c)
                throw new ShapeMismatchException(op, $"input {TensorException.Fmt(x.Shape)} and weight {TensorException.Fmt(w.Shape)} do not match for groups {groups}");
            var g = new ConvGeometry(n, c, x.Shape[2], x.Shape[3], w.Shape[0], w.Shape[2], w.Shape[3], strideH, strideW, padH, padW, groups);
            if (g.OH <= 0 || g.OW <= 0)
                throw new ShapeMismatchException(op, $"kernel {w.Shape[2]}x{w.Shape[3]} is larger than the padded input {TensorException.Fmt(x.Shape)}");
            return g;
        }
    }

    /// <summary>y = conv2d(x, w) + bias. x [N,C,H,W], w [O,C/groups,KH,KW], bias [O] or null.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int groups = 1) =>
        Conv2d(x, w, bias, stride, stride, padding, padding, groups);

    /// <summary>y = conv2d(x, w) + bias with a separate stride and padding per axis.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias, int strideH, int strideW, int padH, int padW, int groups)
    {
        var be = bias == null ? OpChecks.Float("conv2d", x, w) : OpChecks.Float("conv2d", x, w, bias);
        var g = Geometry("conv2d", x, w, strideH, strideW, padH, padW, groups);
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != g.O))
            throw new ShapeMismatchException("conv2d", $"bias {TensorException.Fmt(bias.Shape)} does not match {g.O} output channels");
        Tensor xc, wc, bc = null!;
        using (GradMode.NoGrad()) { xc = ShapeOps.Compact(x); wc = ShapeOps.Compact(w); if (bias != null) bc = ShapeOps.Compact(bias); }
        var y = Tensor.Empty(be, [g.N, g.O, g.OH, g.OW]);
        be.Conv2dForward(g, xc.Storage, wc.Storage, bias == null ? null : bc.Storage, y.Storage);
        Node.Record(y, OpKind.Conv2d, bias == null ? [xc, wc] : [xc, wc, bc], new ConvState(g, bias != null, Transposed: false));
        return y;
    }

    /// <summary>Gradients of conv2d and conv_transpose2d. For the transposed op the roles swap: its input is the adjoint
    /// convolution's output gradient, so gx is a forward convolution of gy and gw uses (x as gy, gy as input).</summary>
    internal static Tensor?[] Conv2dBackward(Node node, Tensor gy)
    {
        var s = node.State<ConvState>();
        var g = s.Geometry;
        var x = node.Inputs[0];
        var w = node.Inputs[1];
        var be = gy.Backend;
        var gyc = ShapeOps.Compact(gy);
        var grads = new Tensor?[node.Inputs.Length];
        if (node.NeedsGrad[0])
        {
            var gx = Tensor.Empty(be, x.Shape);
            if (s.Transposed) be.Conv2dForward(g, gyc.Storage, w.Storage, null, gx.Storage);
            else be.Conv2dBackwardInput(g, gyc.Storage, w.Storage, gx.Storage, accumulate: false);
            grads[0] = gx;
        }
        if (node.NeedsGrad[1])
        {
            var gw = Tensor.Empty(be, w.Shape);
            if (s.Transposed) be.Conv2dBackwardWeight(g, x.Storage, gyc.Storage, gw.Storage, accumulate: false);
            else be.Conv2dBackwardWeight(g, gyc.Storage, x.Storage, gw.Storage, accumulate: false);
            grads[1] = gw;
        }
        if (s.HasBias && node.NeedsGrad[2]) grads[2] = Reductions.Sum(gyc, [0, 2, 3]);
        return grads;
    }

    /// <summary>Transposed convolution (PyTorch conv_transpose2d): x [N,Cin,H,W], w [Cin, Cout/groups, KH, KW], bias [Cout].
    /// Output size (H−1)·stride − 2·pad + KH + outputPadding.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1)
    {
        const string op = "conv_transpose2d";
        var be = bias == null ? OpChecks.Float(op, x, w) : OpChecks.Float(op, x, w, bias);
        OpChecks.Rank(op, x, 4, "input");
        OpChecks.Rank(op, w, 4, "weight");
        int cin = x.Shape[1];
        if (groups < 1 || w.Shape[0] != cin || cin % groups != 0 || stride < 1 || padding < 0 || outputPadding < 0 || outputPadding >= stride)
            throw new ShapeMismatchException(op, $"input {TensorException.Fmt(x.Shape)}, weight {TensorException.Fmt(w.Shape)}, stride {stride}, padding {padding}, output padding {outputPadding}, groups {groups} do not fit");
        int cout = w.Shape[1] * groups;
        int oh = (x.Shape[2] - 1) * stride - 2 * padding + w.Shape[2] + outputPadding;
        int ow = (x.Shape[3] - 1) * stride - 2 * padding + w.Shape[3] + outputPadding;
        if (oh <= 0 || ow <= 0) throw new ShapeMismatchException(op, $"output size {oh}x{ow} is not positive");
        // As a convolution from the output back to the input: conv input = y [N,Cout,oh,ow], conv output = x.
        var g = new ConvGeometry(x.Shape[0], cout, oh, ow, cin, w.Shape[2], w.Shape[3], stride, stride, padding, padding, groups);
        if (g.OH != x.Shape[2] || g.OW != x.Shape[3])
            throw new ShapeMismatchException(op, $"inconsistent geometry for input {TensorException.Fmt(x.Shape)}");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != cout))
            throw new ShapeMismatchException(op, $"bias {TensorException.Fmt(bias.Shape)} does not match {cout} output channels");
        Tensor xc, wc, bc = null!;
        using (GradMode.NoGrad()) { xc = ShapeOps.Compact(x); wc = ShapeOps.Compact(w); if (bias != null) bc = ShapeOps.Compact(bias); }
        var y = Tensor.Empty(be, [g.N, cout, oh, ow]);
        be.Conv2dBackwardInput(g, xc.Storage, wc.Storage, y.Storage, accumulate: false);
        if (bias != null)
            using (GradMode.NoGrad())
            {
                var yb = Elementwise.Add(y, ShapeOps.Reshape(bc, 1, cout, 1, 1));
                y.Dispose();
                y = yb;
            }
        Node.Record(y, OpKind.ConvTranspose2d, bias == null ? [xc, wc] : [xc, wc, bc], new ConvState(g, bias != null, Transposed: true));
        return y;
    }
}
