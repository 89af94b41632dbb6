// The exact host-side scalar math of every elementwise operator and its derivative, one struct per
// operator (static abstract members), so the CPU backend's loops are specialised and inlined per op
// while ScalarMath.Unary/UnaryDerivative dispatch to the same formulas. Device kernels mirror these
// formulas in kernels/Elementwise/ElementwiseMath.cs (XMath for GPU targets).
namespace My3DGen.Engine.Backends;

/// <summary>One unary operator: value and derivative (given input x and output y).</summary>
public interface IUnaryFn
{
    static abstract float F(float x, float a, float b);
    static abstract float D(float x, float y, float a, float b);
}

public static class ScalarMath
{
    public struct NegFn : IUnaryFn { public static float F(float x, float a, float b) => -x; public static float D(float x, float y, float a, float b) => -1f; }
    public struct ExpFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Exp(x); public static float D(float x, float y, float a, float b) => y; }
    public struct LogFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Log(x); public static float D(float x, float y, float a, float b) => 1f / x; }
    public struct SqrtFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Sqrt(x); public static float D(float x, float y, float a, float b) => 0.5f / y; }
    public struct RsqrtFn : IUnaryFn { public static float F(float x, float a, float b) => 1f / MathF.Sqrt(x); public static float D(float x, float y, float a, float b) => -0.5f * y * y * y; }
    public struct AbsFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Abs(x); public static float D(float x, float y, float a, float b) => x > 0 ? 1f : x < 0 ? -1f : 0f; }
    public struct ReluFn : IUnaryFn { public static float F(float x, float a, float b) => x > 0 ? x : 0f; public static float D(float x, float y, float a, float b) => x > 0 ? 1f : 0f; }
    /// <summary>x ≥ 0 ? x : a·x.</summary>
    public struct LeakyReluFn : IUnaryFn { public static float F(float x, float a, float b) => x >= 0 ? x : a * x; public static float D(float x, float y, float a, float b) => x >= 0 ? 1f : a; }
    /// <summary>log(1 + exp(a·x)) / a, linear above threshold b.</summary>
    public struct SoftplusFn : IUnaryFn
    {
        public static float F(float x, float a, float b) => a * x > b ? x : MathF.Log(1f + MathF.Exp(a * x)) / a;
        public static float D(float x, float y, float a, float b) => a * x > b ? 1f : 1f / (1f + MathF.Exp(-a * x));
    }
    public struct SigmoidFn : IUnaryFn { public static float F(float x, float a, float b) => 1f / (1f + MathF.Exp(-x)); public static float D(float x, float y, float a, float b) => y * (1f - y); }
    public struct TanhFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Tanh(x); public static float D(float x, float y, float a, float b) => 1f - y * y; }
    /// <summary>min(max(x, a), b).</summary>
    public struct ClampFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Min(MathF.Max(x, a), b); public static float D(float x, float y, float a, float b) => x >= a && x <= b ? 1f : 0f; }
    /// <summary>x^a.</summary>
    public struct PowFn : IUnaryFn { public static float F(float x, float a, float b) => MathF.Pow(x, a); public static float D(float x, float y, float a, float b) => a == 0f ? 0f : a * MathF.Pow(x, a - 1f); }
    /// <summary>a·x + b.</summary>
    public struct AffineFn : IUnaryFn { public static float F(float x, float a, float b) => a * x + b; public static float D(float x, float y, float a, float b) => a; }

    /// <summary>Calls <paramref name="visitor"/> with the operator struct of <paramref name="op"/> as its type argument.</summary>
    public static TResult Dispatch<TVisitor, TResult>(UnaryOp op, TVisitor visitor) where TVisitor : IUnaryVisitor<TResult> => op switch
    {
        UnaryOp.Neg => visitor.Visit<NegFn>(),
        UnaryOp.Exp => visitor.Visit<ExpFn>(),
        UnaryOp.Log => visitor.Visit<LogFn>(),
        UnaryOp.Sqrt => visitor.Visit<SqrtFn>(),
        UnaryOp.Rsqrt => visitor.Visit<RsqrtFn>(),
        UnaryOp.Abs => visitor.Visit<AbsFn>(),
        UnaryOp.Relu => visitor.Visit<ReluFn>(),
        UnaryOp.LeakyRelu => visitor.Visit<LeakyReluFn>(),
        UnaryOp.Softplus => visitor.Visit<SoftplusFn>(),
        UnaryOp.Sigmoid => visitor.Visit<SigmoidFn>(),
        UnaryOp.Tanh => visitor.Visit<TanhFn>(),
        UnaryOp.Clamp => visitor.Visit<ClampFn>(),
        UnaryOp.PowScalar => visitor.Visit<PowFn>(),
        UnaryOp.Affine => visitor.Visit<AffineFn>(),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    readonly struct ValueVisitor(float x, float a, float b) : IUnaryVisitor<float>
    {
        public float Visit<T>() where T : struct, IUnaryFn => T.F(x, a, b);
    }

    readonly struct DerivativeVisitor(float x, float y, float a, float b) : IUnaryVisitor<float>
    {
        public float Visit<T>() where T : struct, IUnaryFn => T.D(x, y, a, b);
    }

    public static float Unary(UnaryOp op, float x, float a, float b) => Dispatch<ValueVisitor, float>(op, new ValueVisitor(x, a, b));

    /// <summary>dy/dx given the input x and the output y = f(x).</summary>
    public static float UnaryDerivative(UnaryOp op, float x, float y, float a, float b) =>
        Dispatch<DerivativeVisitor, float>(op, new DerivativeVisitor(x, y, a, b));

    public static float Binary(BinaryOp op, float x, float y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Pow => MathF.Pow(x, y),
        BinaryOp.Maximum => MathF.Max(x, y),
        BinaryOp.Minimum => MathF.Min(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}

/// <summary>Generic callback receiving an operator struct type (see <see cref="ScalarMath.Dispatch{TVisitor,TResult}"/>).</summary>
public interface IUnaryVisitor<out TResult>
{
    TResult Visit<T>() where T : struct, IUnaryFn;
}
