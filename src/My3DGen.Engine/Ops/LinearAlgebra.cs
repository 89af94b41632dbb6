// Matrix multiplication (2-D and batched 3-D, with a shared right operand) on the backend GEMM.
// Transposed views are passed to GEMM as transposes instead of being copied.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Matrix products with autograd.</summary>
public static class LinearAlgebra
{
    /// <summary>A GEMM operand: storage, offset, leading dimension, transpose flag and batch stride.</summary>
    readonly record struct Operand(Tensor Source, int Offset, int Ld, bool Trans, int BatchStride);

    /// <summary>Describes the last two dims of t as a GEMM operand, copying only when they are neither row- nor column-major.</summary>
    static Operand AsOperand(Tensor t)
    {
        int r = t.Rank;
        int rows = t.Shape[r - 2], cols = t.Shape[r - 1];
        int sr = t.Strides[r - 2], sc = t.Strides[r - 1];
        int bs = r == 3 ? t.Strides[0] : 0;
        bool batchOk = r == 2 || t.Shape[0] == 1 || bs > 0;
        if (batchOk && (sc == 1 || cols == 1))
        {
            int ld = rows == 1 ? cols : sr;
            if (ld >= cols) return new Operand(t, t.Offset, ld, false, bs);
        }
        if (batchOk && (sr == 1 || rows == 1))
        {
            int ld = cols == 1 ? rows : sc;
            if (ld >= rows) return new Operand(t, t.Offset, ld, true, bs);
        }
        var c = ShapeOps.Compact(t);
        return new Operand(c, 0, cols, false, r == 3 ? rows * cols : 0);
    }

    /// <summary>[M,K]@[K,N] → [M,N]; [B,M,K]@[B,K,N] or [B,M,K]@[K,N] → [B,M,N].</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        var be = OpChecks.Float("matmul", a, b);
        if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3 || (a.Rank == 2 && b.Rank == 3))
            throw new ShapeMismatchException("matmul", $"unsupported ranks {TensorException.Fmt(a.Shape)} @ {TensorException.Fmt(b.Shape)}");
        int M = a.Shape[^2], K = a.Shape[^1], N = b.Shape[^1];
        if (b.Shape[^2] != K)
            throw new ShapeMismatchException("matmul", $"inner dimensions differ: {TensorException.Fmt(a.Shape)} @ {TensorException.Fmt(b.Shape)}");
        int batch = a.Rank == 3 ? a.Shape[0] : 1;
        if (b.Rank == 3 && b.Shape[0] != batch)
            throw new ShapeMismatchException("matmul", $"batch sizes differ: {TensorException.Fmt(a.Shape)} @ {TensorException.Fmt(b.Shape)}");
        var y = Tensor.Empty(be, a.Rank == 3 ? [batch, M, N] : [M, N]);
        Operand oa, ob;
        using (GradMode.NoGrad()) { oa = AsOperand(a); ob = AsOperand(b); }
        if (y.Numel > 0)
        {
            if (K == 0) be.Fill(y.Storage, 0, y.Numel, 0f);
            else be.Gemm(GemmParams.Create(oa.Trans, ob.Trans, M, N, K, 1f,
                oa.Offset, oa.Ld, oa.BatchStride,
                ob.Offset, ob.Ld, b.Rank == 3 ? ob.BatchStride : 0,
                0f, 0, N, M * N, batch), oa.Source.Storage, ob.Source.Storage, y.Storage);
        }
        Node.Record(y, OpKind.MatMul, [a, b]);
        return y;
    }

    internal static Tensor?[] MatMulBackward(Node node, Tensor gy)
    {
        var a = node.Inputs[0];
        var b = node.Inputs[1];
        Tensor? ga = null, gb = null;
        if (node.NeedsGrad[0]) ga = MatMul(gy, ShapeOps.Transpose(b, -1, -2));
        if (node.NeedsGrad[1])
        {
            if (a.Rank == 3 && b.Rank == 2)
            {
                // Shared right operand: sum over the batch, i.e. (a flattened to [B·M, K])ᵀ @ (gy flattened).
                var af = ShapeOps.Reshape(a, -1, a.Shape[^1]);
                var gf = ShapeOps.Reshape(gy, -1, gy.Shape[^1]);
                gb = MatMul(ShapeOps.Transpose(af, 0, 1), gf);
            }
            else gb = MatMul(ShapeOps.Transpose(a, -1, -2), gy);
        }
        return [ga, gb];
    }
}
