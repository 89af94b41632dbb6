// Typed errors raised by tensor operations. Each names the op and the shapes involved so a user
// can see at once which call was wrong (e.g. "matmul: inner dimensions differ: [2,3] @ [4,5]").
namespace My3DGen.Engine.Tensors;

/// <summary>Base class for errors raised by tensor operations.</summary>
public class TensorException : Exception
{
    /// <summary>The op that failed.</summary>
    public string Op { get; }
    /// <summary>An error in <paramref name="op"/>.</summary>
    public TensorException(string op, string message) : base($"{op}: {message}") { Op = op; }

    internal static string Fmt(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";
}

/// <summary>Operand shapes are incompatible for the op.</summary>
public sealed class ShapeMismatchException(string op, string message) : TensorException(op, message);

/// <summary>An operand has the wrong element type (e.g. float where int32 indices are needed).</summary>
public sealed class DTypeMismatchException(string op, string message) : TensorException(op, message);

/// <summary>A tensor was used after Dispose.</summary>
public sealed class TensorDisposedException(string op, string message) : TensorException(op, message);

/// <summary>Operands live on different backends.</summary>
public sealed class BackendMismatchException(string op, string message) : TensorException(op, message);

/// <summary>Autograd misuse: backward twice without retainGraph, backward on a tensor without grad, …</summary>
public sealed class AutogradException(string op, string message) : TensorException(op, message);
