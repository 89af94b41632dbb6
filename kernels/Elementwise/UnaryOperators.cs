// Every unary elementwise operator, written once: one struct per operator holds its value and its
// derivative, and the same struct drives the ILGPU kernel (ElementwiseKernels.Unary<TOp>), the
// managed CPU loop and the reference. XMath calls MathF on the CPU (bit-identical) and the device
// intrinsics on GPUs. Adding an operator: a struct and a Dispatch arm here, an OpKind in the engine.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Unary elementwise operators. The parameters a, b of each are documented on its struct in <see cref="UnaryOperators"/>.</summary>
public enum UnaryOp
{
    /// <summary>−x.</summary>
    Neg,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>ln x.</summary>
    Log,
    /// <summary>√x.</summary>
    Sqrt,
    /// <summary>1/√x.</summary>
    Rsqrt,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>x ≥ 0 ? x : a·x.</summary>
    LeakyRelu,
    /// <summary>log(1 + exp(a·x)) / a, linear above threshold b (PyTorch's Softplus(beta=a, threshold=b)).</summary>
    Softplus,
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>min(max(x, a), b).</summary>
    Clamp,
    /// <summary>x^a.</summary>
    PowScalar,
    /// <summary>a·x + b.</summary>
    Affine,
    /// <summary>sin x.</summary>
    Sin,
}

/// <summary>One unary operator: its value y = f(x) and derivative dy/dx (given x and y), with per-op parameters a, b.
/// Instance methods on a struct, so ILGPU specialises a generic kernel per operator.</summary>
internal interface IUnaryOperator
{
    /// <summary>y = f(x).</summary>
    float Apply(float x, float a, float b);
    /// <summary>dy/dx at x, given y = f(x).</summary>
    float Derivative(float x, float y, float a, float b);
}

/// <summary>Generic callback receiving the operator struct of a <see cref="UnaryOp"/> as its type argument.</summary>
internal interface IUnaryVisitor<out TResult>
{
    /// <summary>Runs with <typeparamref name="TOp"/> = the operator struct.</summary>
    TResult Visit<TOp>() where TOp : struct, IUnaryOperator;
}

/// <summary>The operator structs and the one map from <see cref="UnaryOp"/> to them.</summary>
internal static class UnaryOperators
{
    internal struct NegOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => -x; public readonly float Derivative(float x, float y, float a, float b) => -1f; }
    internal struct ExpOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => XMath.Exp(x); public readonly float Derivative(float x, float y, float a, float b) => y; }
    internal struct LogOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => XMath.Log(x); public readonly float Derivative(float x, float y, float a, float b) => 1f / x; }
    internal struct SqrtOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => XMath.Sqrt(x); public readonly float Derivative(float x, float y, float a, float b) => 0.5f / y; }
    internal struct RsqrtOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => 1f / XMath.Sqrt(x); public readonly float Derivative(float x, float y, float a, float b) => -0.5f * y * y * y; }
    internal struct AbsOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => XMath.Abs(x); public readonly float Derivative(float x, float y, float a, float b) => x > 0 ? 1f : x < 0 ? -1f : 0f; }
    internal struct ReluOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => x > 0 ? x : 0f; public readonly float Derivative(float x, float y, float a, float b) => x > 0 ? 1f : 0f; }
    internal struct LeakyReluOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => x >= 0 ? x : a * x; public readonly float Derivative(float x, float y, float a, float b) => x >= 0 ? 1f : a; }
    internal struct SoftplusOp : IUnaryOperator
    {
        public readonly float Apply(float x, float a, float b) => a * x > b ? x : XMath.Log(1f + XMath.Exp(a * x)) / a;
        public readonly float Derivative(float x, float y, float a, float b) => a * x > b ? 1f : 1f / (1f + XMath.Exp(-a * x));
    }
    internal struct SigmoidOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => 1f / (1f + XMath.Exp(-x)); public readonly float Derivative(float x, float y, float a, float b) => y * (1f - y); }
    internal struct TanhOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => KernelMath.Tanh(x); public readonly float Derivative(float x, float y, float a, float b) => 1f - y * y; }
    internal struct ClampOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => KernelMath.Min(KernelMath.Max(x, a), b); public readonly float Derivative(float x, float y, float a, float b) => x >= a && x <= b ? 1f : 0f; }
    internal struct PowScalarOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => KernelMath.PowScalar(x, a); public readonly float Derivative(float x, float y, float a, float b) => a == 0f ? 0f : a * KernelMath.PowScalar(x, a - 1f); }
    internal struct AffineOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => a * x + b; public readonly float Derivative(float x, float y, float a, float b) => a; }
    internal struct SinOp : IUnaryOperator { public readonly float Apply(float x, float a, float b) => XMath.Sin(x); public readonly float Derivative(float x, float y, float a, float b) => XMath.Cos(x); }

    /// <summary>Calls <paramref name="visitor"/> with the operator struct of <paramref name="op"/> as its type argument.</summary>
    public static TResult Dispatch<TVisitor, TResult>(UnaryOp op, TVisitor visitor) where TVisitor : IUnaryVisitor<TResult> => op switch
    {
        UnaryOp.Neg => visitor.Visit<NegOp>(),
        UnaryOp.Exp => visitor.Visit<ExpOp>(),
        UnaryOp.Log => visitor.Visit<LogOp>(),
        UnaryOp.Sqrt => visitor.Visit<SqrtOp>(),
        UnaryOp.Rsqrt => visitor.Visit<RsqrtOp>(),
        UnaryOp.Abs => visitor.Visit<AbsOp>(),
        UnaryOp.Relu => visitor.Visit<ReluOp>(),
        UnaryOp.LeakyRelu => visitor.Visit<LeakyReluOp>(),
        UnaryOp.Softplus => visitor.Visit<SoftplusOp>(),
        UnaryOp.Sigmoid => visitor.Visit<SigmoidOp>(),
        UnaryOp.Tanh => visitor.Visit<TanhOp>(),
        UnaryOp.Clamp => visitor.Visit<ClampOp>(),
        UnaryOp.PowScalar => visitor.Visit<PowScalarOp>(),
        UnaryOp.Affine => visitor.Visit<AffineOp>(),
        UnaryOp.Sin => visitor.Visit<SinOp>(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary operator"),
    };

    readonly struct ValueVisitor(float x, float a, float b) : IUnaryVisitor<float>
    {
        public float Visit<TOp>() where TOp : struct, IUnaryOperator => default(TOp).Apply(x, a, b);
    }

    readonly struct DerivativeVisitor(float x, float y, float a, float b) : IUnaryVisitor<float>
    {
        public float Visit<TOp>() where TOp : struct, IUnaryOperator => default(TOp).Derivative(x, y, a, b);
    }

    /// <summary>f(x) for one value (host side; kernels use the struct directly).</summary>
    public static float Apply(UnaryOp op, float x, float a, float b) => Dispatch<ValueVisitor, float>(op, new ValueVisitor(x, a, b));

    /// <summary>dy/dx given the input x and the output y = f(x) (host side).</summary>
    public static float Derivative(UnaryOp op, float x, float y, float a, float b) =>
        Dispatch<DerivativeVisitor, float>(op, new DerivativeVisitor(x, y, a, b));
}
