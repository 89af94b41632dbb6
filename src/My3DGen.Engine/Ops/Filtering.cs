// The FIR filter op of EG3D's ×2 up-conv: EG3D computes the up layer as a stride-2 transposed 3×3 conv followed by
// the [1,3,3,1] filter (gain 4, padding 1); this op is that filter, with autograd (the adjoint is the same filter with
// reversed taps and the complementary padding) and an optional per-channel bias added in the same pass.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;

namespace My3DGen.Engine.Ops;

/// <summary>Separable FIR filtering with autograd.</summary>
public static class Filtering
{
    sealed record FirState(FirGeometry Geometry, int Batch, bool HasBias);

    /// <summary>y [N,C,outH,outW] = Σ_{a,b} f[a]·f[b]·x[n, c, i + a − padding, j + b − padding] (+ bias[c]) with
    /// f = [¼,¾,¾,¼] (EG3D's [1,3,3,1] filter with the ×2 up gain), x zero outside. The ×2 up-conv uses padding 1 on the
    /// (2H+1)×(2W+1) output of the stride-2 transposed conv, giving 2H×2W.</summary>
    /// <param name="x">Input [N,C,H,W].</param>
    /// <param name="padding">Zero padding before the first row/column, 0..3.</param>
    /// <param name="outH">Output height.</param>
    /// <param name="outW">Output width.</param>
    /// <param name="bias">Optional per-channel bias [C].</param>
    public static Tensor UpFir(Tensor x, int padding, int outH, int outW, Tensor? bias = null)
    {
        const string op = "up_fir";
        var be = bias == null ? OpChecks.Float(op, x) : OpChecks.Float(op, x, bias);
        OpChecks.Rank(op, x, 4, "input");
        int n = x.Shape[0], c = x.Shape[1];
        if (padding is < 0 or > 3 || outH <= 0 || outW <= 0)
            throw new ShapeMismatchException(op, $"padding {padding} (0..3) or output size {outH}x{outW} invalid");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != c))
            throw new ShapeMismatchException(op, $"bias {TensorException.Fmt(bias.Shape)} does not match {c} channels");
        var g = FirGeometry.UpFilter(n * c, c, x.Shape[2], x.Shape[3], outH, outW, padding);
        Tensor xc, bc = null!;
        using (GradMode.NoGrad()) { xc = ShapeOps.Compact(x); if (bias != null) bc = ShapeOps.Compact(bias); }
        var y = Tensor.Empty(be, [n, c, outH, outW]);
        be.Fir2d(g, xc.Storage, bias == null ? null : bc.Storage, y.Storage);
        Node.Record(y, OpKind.Fir2d, bias == null ? [xc] : [xc, bc], new FirState(g, n, bias != null));
        return y;
    }

    internal static Tensor?[] Fir2dBackward(Node node, Tensor gy)
    {
        var s = node.State<FirState>();
        var be = gy.Backend;
        var gyc = ShapeOps.Compact(gy);
        var grads = new Tensor?[node.Inputs.Length];
        if (node.NeedsGrad[0])
        {
            var g = s.Geometry;
            var gx = Tensor.Empty(be, [s.Batch, g.Channels, g.H, g.W]);
            be.Fir2d(g.Adjoint(), gyc.Storage, null, gx.Storage);
            grads[0] = gx;
        }
        if (s.HasBias && node.NeedsGrad[1]) grads[1] = Reductions.Sum(gyc, [0, 2, 3]);
        return grads;
    }
}
