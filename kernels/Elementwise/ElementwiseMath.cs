// Device-side scalar math of every elementwise operator and derivative: the same formulas as the
// engine's ScalarMath (the single source of truth), written with ILGPU.Algorithms' XMath so they
// compile for CUDA/OpenCL. On the CPU accelerator XMath calls MathF, so results match bit for bit.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Scalar operator math callable from kernels; codes from <see cref="UnaryCode"/> / <see cref="BinaryCode"/>.</summary>
public static class ElementwiseMath
{
    /// <summary>y = f(x) with per-op parameters a, b (see the engine's UnaryOp docs). Unknown codes give NaN.</summary>
    public static float Unary(int op, float x, float a, float b)
    {
        switch (op)
        {
            case UnaryCode.Neg: return -x;
            case UnaryCode.Exp: return XMath.Exp(x);
            case UnaryCode.Log: return XMath.Log(x);
            case UnaryCode.Sqrt: return XMath.Sqrt(x);
            case UnaryCode.Rsqrt: return 1f / XMath.Sqrt(x);
            case UnaryCode.Abs: return XMath.Abs(x);
            case UnaryCode.Relu: return x > 0 ? x : 0f;
            case UnaryCode.LeakyRelu: return x >= 0 ? x : a * x;
            case UnaryCode.Softplus: return a * x > b ? x : XMath.Log(1f + XMath.Exp(a * x)) / a;
            case UnaryCode.Sigmoid: return 1f / (1f + XMath.Exp(-x));
            case UnaryCode.Tanh: return XMath.Tanh(x);
            case UnaryCode.Clamp: return XMath.Min(XMath.Max(x, a), b);
            case UnaryCode.PowScalar: return XMath.Pow(x, a);
            case UnaryCode.Affine: return a * x + b;
            default: return float.NaN;
        }
    }

    /// <summary>dy/dx given input x and output y = f(x).</summary>
    public static float UnaryDerivative(int op, float x, float y, float a, float b)
    {
        switch (op)
        {
            case UnaryCode.Neg: return -1f;
            case UnaryCode.Exp: return y;
            case UnaryCode.Log: return 1f / x;
            case UnaryCode.Sqrt: return 0.5f / y;
            case UnaryCode.Rsqrt: return -0.5f * y * y * y;
            case UnaryCode.Abs: return x > 0 ? 1f : x < 0 ? -1f : 0f;
            case UnaryCode.Relu: return x > 0 ? 1f : 0f;
            case UnaryCode.LeakyRelu: return x >= 0 ? 1f : a;
            case UnaryCode.Softplus: return a * x > b ? 1f : 1f / (1f + XMath.Exp(-a * x));
            case UnaryCode.Sigmoid: return y * (1f - y);
            case UnaryCode.Tanh: return 1f - y * y;
            case UnaryCode.Clamp: return x >= a && x <= b ? 1f : 0f;
            case UnaryCode.PowScalar: return a == 0f ? 0f : a * XMath.Pow(x, a - 1f);
            case UnaryCode.Affine: return a;
            default: return float.NaN;
        }
    }

    /// <summary>x ∘ y for a <see cref="BinaryCode"/>.</summary>
    public static float Binary(int op, float x, float y)
    {
        switch (op)
        {
            case BinaryCode.Add: return x + y;
            case BinaryCode.Sub: return x - y;
            case BinaryCode.Mul: return x * y;
            case BinaryCode.Div: return x / y;
            case BinaryCode.Pow: return XMath.Pow(x, y);
            case BinaryCode.Maximum: return XMath.Max(x, y);
            case BinaryCode.Minimum: return XMath.Min(x, y);
            default: return float.NaN;
        }
    }
}
