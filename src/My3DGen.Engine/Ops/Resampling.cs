// Bilinear resize of NCHW images (align_corners false/true, optional PyTorch-style antialias) and area resize
// (adaptive average pooling), done as two separable axis passes on the ApplyAxisWeights primitive; backward uses the transposes.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Bilinear resizing (optionally antialiased) and area resizing (adaptive average pooling) with autograd.</summary>
public static class Resampling
{
    /// <summary>The 1-D weights of one axis: (input length, output length, transposed) → matrix.</summary>
    delegate AxisWeights AxisFactory(int inLen, int outLen, bool transpose);
    sealed record ResizeState(int[] InputShape, AxisFactory Weights);

    /// <summary>Resizes x [N,C,H,W] to [N,C,outH,outW] like torch.nn.functional.interpolate(mode='bilinear').</summary>
    public static Tensor ResizeBilinear(Tensor x, int outH, int outW, bool alignCorners = false, bool antialias = false)
    {
        const string op = "resize_bilinear";
        OpChecks.Float(op, x);
        OpChecks.Rank(op, x, 4, "input");
        if (outH <= 0 || outW <= 0) throw new ShapeMismatchException(op, $"output size {outH}x{outW} must be positive");
        return Resize(OpKind.ResizeBilinear, x, outH, outW, (i, o, t) => AxisWeightsBuilder.Bilinear(i, o, alignCorners, antialias, t));
    }

    /// <summary>Resizes x [N,C,H,W] to [N,C,outH,outW] by averaging over windows, like
    /// torch.nn.functional.adaptive_avg_pool2d (= interpolate mode='area'): output index i averages the inputs from
    /// floor(i·in/out) to ceil((i+1)·in/out) − 1, so windows overlap when in/out is not an integer (and repeat inputs when upsizing).</summary>
    public static Tensor ResizeArea(Tensor x, int outH, int outW)
    {
        const string op = "resize_area";
        OpChecks.Float(op, x);
        OpChecks.Rank(op, x, 4, "input");
        if (outH <= 0 || outW <= 0) throw new ShapeMismatchException(op, $"output size {outH}x{outW} must be positive");
        return Resize(OpKind.ResizeArea, x, outH, outW, AxisWeightsBuilder.Area);
    }

    static Tensor Resize(OpKind kind, Tensor x, int outH, int outW, AxisFactory weights)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        Tensor xc;
        using (GradMode.NoGrad()) xc = ShapeOps.Compact(x);
        var y = Apply(xc, n * c, h, w, outH, outW, weights, transpose: false);
        var yy = ShapeOps.Reshape(y, n, c, outH, outW);
        Node.Record(yy, kind, [xc], new ResizeState(x.Shape, weights));
        return yy;
    }

    /// <summary>Two axis passes (W then H). In transpose mode the passes map the output size back to the input size.</summary>
    static Tensor Apply(Tensor x, int planes, int h, int w, int outH, int outW, AxisFactory weights, bool transpose)
    {
        var be = x.Backend;
        var ww = transpose ? weights(outW, w, true) : weights(w, outW, false);
        var wh = transpose ? weights(outH, h, true) : weights(h, outH, false);
        if (!transpose)
        {
            var t = Tensor.Empty(be, [planes, h, outW]);
            be.ApplyAxisWeights(x.Storage, planes * h, 1, ww, t.Storage);
            var y = Tensor.Empty(be, [planes, outH, outW]);
            be.ApplyAxisWeights(t.Storage, planes, outW, wh, y.Storage);
            t.Dispose();
            return y;
        }
        else
        {
            // x holds gradients of shape [planes, h, w] where (h, w) are the forward output sizes.
            var t = Tensor.Empty(be, [planes, outH, w]);
            be.ApplyAxisWeights(x.Storage, planes, w, wh, t.Storage);
            var y = Tensor.Empty(be, [planes, outH, outW]);
            be.ApplyAxisWeights(t.Storage, planes * outH, 1, ww, y.Storage);
            t.Dispose();
            return y;
        }
    }

    internal static Tensor?[] ResizeBackward(Node node, Tensor gy)
    {
        var s = node.State<ResizeState>();
        int n = s.InputShape[0], c = s.InputShape[1], h = s.InputShape[2], w = s.InputShape[3];
        var gyc = ShapeOps.Compact(gy);
        var g = Apply(gyc, n * c, gy.Shape[2], gy.Shape[3], h, w, s.Weights, transpose: true);
        return [ShapeOps.Reshape(g, s.InputShape)];
    }
}
