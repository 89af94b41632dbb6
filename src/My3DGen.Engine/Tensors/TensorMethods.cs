// Fluent methods and C# operators on Tensor that forward to the op families in Ops/,
// so model code reads like the math (x * w + b, x.Reshape(...).Sum([1])).
using My3DGen.Kernels;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;

namespace My3DGen.Engine.Tensors;

public sealed partial class Tensor
{
    /// <summary>Runs reverse-mode differentiation from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) => Autograd.Backprop.Run(this, gradient, retainGraph);

    /// <summary>See <see cref="ShapeOps.Contiguous"/>.</summary>
    public Tensor Contiguous(bool forceCopy = false) => ShapeOps.Contiguous(this, forceCopy);
    /// <summary>See <see cref="ShapeOps.Compact"/>.</summary>
    public Tensor Compact() => ShapeOps.Compact(this);
    /// <summary>See <see cref="ShapeOps.Reshape"/>.</summary>
    public Tensor Reshape(params int[] shape) => ShapeOps.Reshape(this, shape);
    /// <summary>See <see cref="ShapeOps.Permute"/>.</summary>
    public Tensor Permute(params int[] dims) => ShapeOps.Permute(this, dims);
    /// <summary>See <see cref="ShapeOps.Transpose"/>.</summary>
    public Tensor Transpose(int a, int b) => ShapeOps.Transpose(this, a, b);
    /// <summary>See <see cref="ShapeOps.Slice"/>.</summary>
    public Tensor Slice(int axis, int start, int length, int step = 1) => ShapeOps.Slice(this, axis, start, length, step);
    /// <summary>See <see cref="ShapeOps.Expand"/>.</summary>
    public Tensor Expand(params int[] shape) => ShapeOps.Expand(this, shape);
    /// <summary>Inserts an axis of length 1 at <paramref name="axis"/> (a view).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        var s = Shape.ToList(); s.Insert(a, 1);
        return Reshape(s.ToArray());
    }

    /// <summary>See <see cref="Reductions.Sum"/>.</summary>
    public Tensor Sum(int[]? axes = null, bool keepDim = false) => Reductions.Sum(this, axes, keepDim);
    /// <summary>See <see cref="Reductions.Mean"/>.</summary>
    public Tensor Mean(int[]? axes = null, bool keepDim = false) => Reductions.Mean(this, axes, keepDim);
    /// <summary>See <see cref="Reductions.Max"/>.</summary>
    public Tensor Max(int[]? axes = null, bool keepDim = false) => Reductions.Max(this, axes, keepDim);
    /// <summary>See <see cref="LinearAlgebra.MatMul"/>.</summary>
    public Tensor MatMul(Tensor other) => LinearAlgebra.MatMul(this, other);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Elementwise.Unary(UnaryOp.Exp, this);
    /// <summary>ln x.</summary>
    public Tensor Log() => Elementwise.Unary(UnaryOp.Log, this);
    /// <summary>√x.</summary>
    public Tensor Sqrt() => Elementwise.Unary(UnaryOp.Sqrt, this);
    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => Elementwise.Unary(UnaryOp.Rsqrt, this);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Elementwise.Unary(UnaryOp.Abs, this);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Elementwise.Unary(UnaryOp.Relu, this);
    /// <summary>x ≥ 0 ? x : slope·x.</summary>
    public Tensor LeakyRelu(float slope = 0.2f) => Elementwise.Unary(UnaryOp.LeakyRelu, this, slope);
    /// <summary>log(1 + exp(β·x)) / β, linear above the threshold.</summary>
    public Tensor Softplus(float beta = 1f, float threshold = 20f) => Elementwise.Unary(UnaryOp.Softplus, this, beta, threshold);
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => Elementwise.Unary(UnaryOp.Sigmoid, this);
    /// <summary>tanh x.</summary>
    public Tensor Tanh() => Elementwise.Unary(UnaryOp.Tanh, this);
    /// <summary>min(max(x, min), max).</summary>
    public Tensor Clamp(float min, float max) => Elementwise.Unary(UnaryOp.Clamp, this, min, max);
    /// <summary>x^exponent.</summary>
    public Tensor Pow(float exponent) => Elementwise.Unary(UnaryOp.PowScalar, this, exponent);
    /// <summary>x².</summary>
    public Tensor Square() => Elementwise.Unary(UnaryOp.PowScalar, this, 2f);
    /// <summary>sin x.</summary>
    public Tensor Sin() => Elementwise.Unary(UnaryOp.Sin, this);
    /// <summary>a·x + b.</summary>
    public Tensor Affine(float a, float b) => Elementwise.Unary(UnaryOp.Affine, this, a, b);

    /// <summary>a + b (broadcasting).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Elementwise.Add(a, b);
    /// <summary>a − b (broadcasting).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Elementwise.Sub(a, b);
    /// <summary>a · b (broadcasting).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Elementwise.Mul(a, b);
    /// <summary>a / b (broadcasting).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Elementwise.Div(a, b);
    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => Elementwise.Neg(a);
    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Affine(1f, b);
    /// <summary>a + b.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Affine(1f, a);
    /// <summary>a − b.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Affine(1f, -b);
    /// <summary>a − b.</summary>
    public static Tensor operator -(float a, Tensor b) => b.Affine(-1f, a);
    /// <summary>a · b.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Affine(b, 0f);
    /// <summary>a · b.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Affine(a, 0f);
    /// <summary>a / b.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Affine(1f / b, 0f);
}
