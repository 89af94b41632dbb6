// Every binary elementwise operator, written once as a struct that drives the ILGPU kernel
// (ElementwiseKernels.Binary<TOp>), the managed CPU loops and the reference.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Binary elementwise operators (with broadcasting at the tensor level).</summary>
public enum BinaryOp
{
    /// <summary>x + y.</summary>
    Add,
    /// <summary>x − y.</summary>
    Sub,
    /// <summary>x · y.</summary>
    Mul,
    /// <summary>x / y.</summary>
    Div,
    /// <summary>x^y.</summary>
    Pow,
    /// <summary>max(x, y), NaN-propagating like MathF.Max.</summary>
    Maximum,
    /// <summary>min(x, y), NaN-propagating like MathF.Min.</summary>
    Minimum,
}

/// <summary>One binary operator z = x ∘ y (an instance method on a struct, so ILGPU specialises per operator).</summary>
internal interface IBinaryOperator
{
    /// <summary>x ∘ y.</summary>
    float Apply(float x, float y);
}

/// <summary>Generic callback receiving the operator struct of a <see cref="BinaryOp"/> as its type argument.</summary>
internal interface IBinaryVisitor<out TResult>
{
    /// <summary>Runs with <typeparamref name="TOp"/> = the operator struct.</summary>
    TResult Visit<TOp>() where TOp : struct, IBinaryOperator;
}

/// <summary>The operator structs and the one map from <see cref="BinaryOp"/> to them.</summary>
internal static class BinaryOperators
{
    internal struct AddOp : IBinaryOperator { public readonly float Apply(float x, float y) => x + y; }
    internal struct SubOp : IBinaryOperator { public readonly float Apply(float x, float y) => x - y; }
    internal struct MulOp : IBinaryOperator { public readonly float Apply(float x, float y) => x * y; }
    internal struct DivOp : IBinaryOperator { public readonly float Apply(float x, float y) => x / y; }
    internal struct PowOp : IBinaryOperator { public readonly float Apply(float x, float y) => XMath.Pow(x, y); }
    internal struct MaximumOp : IBinaryOperator { public readonly float Apply(float x, float y) => KernelMath.Max(x, y); }
    internal struct MinimumOp : IBinaryOperator { public readonly float Apply(float x, float y) => KernelMath.Min(x, y); }

    /// <summary>Calls <paramref name="visitor"/> with the operator struct of <paramref name="op"/> as its type argument.</summary>
    public static TResult Dispatch<TVisitor, TResult>(BinaryOp op, TVisitor visitor) where TVisitor : IBinaryVisitor<TResult> => op switch
    {
        BinaryOp.Add => visitor.Visit<AddOp>(),
        BinaryOp.Sub => visitor.Visit<SubOp>(),
        BinaryOp.Mul => visitor.Visit<MulOp>(),
        BinaryOp.Div => visitor.Visit<DivOp>(),
        BinaryOp.Pow => visitor.Visit<PowOp>(),
        BinaryOp.Maximum => visitor.Visit<MaximumOp>(),
        BinaryOp.Minimum => visitor.Visit<MinimumOp>(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operator"),
    };

    readonly struct ValueVisitor(float x, float y) : IBinaryVisitor<float>
    {
        public float Visit<TOp>() where TOp : struct, IBinaryOperator => default(TOp).Apply(x, y);
    }

    /// <summary>x ∘ y for one pair (host side; kernels use the struct directly).</summary>
    public static float Apply(BinaryOp op, float x, float y) => Dispatch<ValueVisitor, float>(op, new ValueVisitor(x, y));
}
