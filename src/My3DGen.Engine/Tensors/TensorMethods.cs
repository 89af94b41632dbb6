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

    public Tensor Contiguous(bool forceCopy = false) => Layout.Contiguous(this, forceCopy);
    public Tensor Compact() => Layout.Compact(this);
    public Tensor Reshape(params int[] shape) => Layout.Reshape(this, shape);
    public Tensor Permute(params int[] dims) => Layout.Permute(this, dims);
    public Tensor Transpose(int a, int b) => Layout.Transpose(this, a, b);
    public Tensor Slice(int axis, int start, int length, int step = 1) => Layout.Slice(this, axis, start, length, step);
    public Tensor Expand(params int[] shape) => Layout.Expand(this, shape);
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        var s = Shape.ToList(); s.Insert(a, 1);
        return Reshape(s.ToArray());
    }

    public Tensor Sum(int[]? axes = null, bool keepDim = false) => Reductions.Sum(this, axes, keepDim);
    public Tensor Mean(int[]? axes = null, bool keepDim = false) => Reductions.Mean(this, axes, keepDim);
    public Tensor Max(int[]? axes = null, bool keepDim = false) => Reductions.Max(this, axes, keepDim);
    public Tensor MatMul(Tensor other) => LinearAlgebra.MatMul(this, other);

    public Tensor Exp() => Elementwise.Unary(UnaryOp.Exp, this);
    public Tensor Log() => Elementwise.Unary(UnaryOp.Log, this);
    public Tensor Sqrt() => Elementwise.Unary(UnaryOp.Sqrt, this);
    public Tensor Rsqrt() => Elementwise.Unary(UnaryOp.Rsqrt, this);
    public Tensor Abs() => Elementwise.Unary(UnaryOp.Abs, this);
    public Tensor Relu() => Elementwise.Unary(UnaryOp.Relu, this);
    public Tensor LeakyRelu(float slope = 0.2f) => Elementwise.Unary(UnaryOp.LeakyRelu, this, slope);
    public Tensor Softplus(float beta = 1f, float threshold = 20f) => Elementwise.Unary(UnaryOp.Softplus, this, beta, threshold);
    public Tensor Sigmoid() => Elementwise.Unary(UnaryOp.Sigmoid, this);
    public Tensor Tanh() => Elementwise.Unary(UnaryOp.Tanh, this);
    public Tensor Clamp(float min, float max) => Elementwise.Unary(UnaryOp.Clamp, this, min, max);
    public Tensor Pow(float exponent) => Elementwise.Unary(UnaryOp.PowScalar, this, exponent);
    public Tensor Square() => Elementwise.Unary(UnaryOp.PowScalar, this, 2f);
    /// <summary>a·x + b.</summary>
    public Tensor Affine(float a, float b) => Elementwise.Unary(UnaryOp.Affine, this, a, b);

    public static Tensor operator +(Tensor a, Tensor b) => Elementwise.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Elementwise.Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Elementwise.Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Elementwise.Div(a, b);
    public static Tensor operator -(Tensor a) => Elementwise.Neg(a);
    public static Tensor operator +(Tensor a, float b) => a.Affine(1f, b);
    public static Tensor operator +(float a, Tensor b) => b.Affine(1f, a);
    public static Tensor operator -(Tensor a, float b) => a.Affine(1f, -b);
    public static Tensor operator -(float a, Tensor b) => b.Affine(-1f, a);
    public static Tensor operator *(Tensor a, float b) => a.Affine(b, 0f);
    public static Tensor operator *(float a, Tensor b) => b.Affine(a, 0f);
    public static Tensor operator /(Tensor a, float b) => a.Affine(1f / b, 0f);
}
