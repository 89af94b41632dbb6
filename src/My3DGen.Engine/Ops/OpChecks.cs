// Argument validation shared by all ops: operands alive, on one backend, of the right dtype.
// Raises the typed TensorException subclasses with the op name and shapes.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

internal static class OpChecks
{
    /// <summary>Checks every operand is alive and float32, and that all share one backend; returns it.</summary>
    public static IBackend Float(string op, params Tensor[] ts)
    {
        foreach (var t in ts)
        {
            t.CheckAlive(op);
            if (t.DType != DType.Float32)
                throw new DTypeMismatchException(op, $"expects float32 operands, got {t.DType} tensor {TensorException.Fmt(t.Shape)}");
        }
        return SameBackend(op, ts);
    }

    public static IBackend SameBackend(string op, params Tensor[] ts)
    {
        var be = ts[0].Backend;
        foreach (var t in ts)
            if (!ReferenceEquals(t.Backend, be))
                throw new BackendMismatchException(op, $"operands live on different backends ({be.Name} and {t.Backend.Name})");
        return be;
    }

    public static void Rank(string op, Tensor t, int rank, string what)
    {
        if (t.Rank != rank)
            throw new ShapeMismatchException(op, $"{what} must have rank {rank}, got {TensorException.Fmt(t.Shape)}");
    }
}
