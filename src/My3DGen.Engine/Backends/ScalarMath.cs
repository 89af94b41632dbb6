// The exact scalar math of every elementwise operator and of its derivative. The managed CPU
// backend, the reference implementations and (by copy of the same formulas) the ILGPU kernels
// all follow these definitions.
namespace My3DGen.Engine.Backends;

public static class ScalarMath
{
    public static float Unary(UnaryOp op, float x, float a, float b) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Exp => MathF.Exp(x),
        UnaryOp.Log => MathF.Log(x),
        UnaryOp.Sqrt => MathF.Sqrt(x),
        UnaryOp.Rsqrt => 1f / MathF.Sqrt(x),
        UnaryOp.Abs => MathF.Abs(x),
        UnaryOp.Relu => x > 0 ? x : 0f,
        UnaryOp.LeakyRelu => x >= 0 ? x : a * x,
        UnaryOp.Softplus => a * x > b ? x : MathF.Log(1f + MathF.Exp(a * x)) / a,
        UnaryOp.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        UnaryOp.Tanh => MathF.Tanh(x),
        UnaryOp.Clamp => MathF.Min(MathF.Max(x, a), b),
        UnaryOp.PowScalar => MathF.Pow(x, a),
        UnaryOp.Affine => a * x + b,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>dy/dx given the input x and the output y = f(x).</summary>
    public static float UnaryDerivative(UnaryOp op, float x, float y, float a, float b) => op switch
    {
        UnaryOp.Neg => -1f,
        UnaryOp.Exp => y,
        UnaryOp.Log => 1f / x,
        UnaryOp.Sqrt => 0.5f / y,
        UnaryOp.Rsqrt => -0.5f * y * y * y,
        UnaryOp.Abs => x > 0 ? 1f : x < 0 ? -1f : 0f,
        UnaryOp.Relu => x > 0 ? 1f : 0f,
        UnaryOp.LeakyRelu => x >= 0 ? 1f : a,
        UnaryOp.Softplus => a * x > b ? 1f : 1f / (1f + MathF.Exp(-a * x)),
        UnaryOp.Sigmoid => y * (1f - y),
        UnaryOp.Tanh => 1f - y * y,
        UnaryOp.Clamp => x >= a && x <= b ? 1f : 0f,
        UnaryOp.PowScalar => a == 0f ? 0f : a * MathF.Pow(x, a - 1f),
        UnaryOp.Affine => a,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

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

    /// <summary>Double-precision twin of <see cref="Unary"/>, used by references and gradient checks.</summary>
    public static double UnaryDouble(UnaryOp op, double x, double a, double b) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Rsqrt => 1 / Math.Sqrt(x),
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Relu => x > 0 ? x : 0,
        UnaryOp.LeakyRelu => x >= 0 ? x : a * x,
        UnaryOp.Softplus => a * x > b ? x : Math.Log(1 + Math.Exp(a * x)) / a,
        UnaryOp.Sigmoid => 1 / (1 + Math.Exp(-x)),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Clamp => Math.Min(Math.Max(x, a), b),
        UnaryOp.PowScalar => Math.Pow(x, a),
        UnaryOp.Affine => a * x + b,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static double BinaryDouble(BinaryOp op, double x, double y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Pow => Math.Pow(x, y),
        BinaryOp.Maximum => Math.Max(x, y),
        BinaryOp.Minimum => Math.Min(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
