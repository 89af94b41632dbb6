// Elementwise and reduction operator codes shared by every backend, so one kernel per family
// can switch on the code and one reference implements the exact math (see ScalarMath).
namespace My3DGen.Engine.Backends;

/// <summary>Unary elementwise operators. Parameters a, b are given per op in <see cref="ScalarMath"/>.</summary>
public enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Rsqrt, Abs, Relu,
    /// <summary>x ≥ 0 ? x : a·x.</summary>
    LeakyRelu,
    /// <summary>log(1 + exp(a·x)) / a, linear above threshold b (PyTorch's Softplus(beta=a, threshold=b)).</summary>
    Softplus,
    Sigmoid, Tanh,
    /// <summary>min(max(x, a), b).</summary>
    Clamp,
    /// <summary>x^a.</summary>
    PowScalar,
    /// <summary>a·x + b.</summary>
    Affine,
}

/// <summary>Binary elementwise operators (with broadcasting at the tensor level).</summary>
public enum BinaryOp { Add, Sub, Mul, Div, Pow, Maximum, Minimum }

/// <summary>Reductions over the last axis of a contiguous [outer, inner] view.</summary>
public enum ReduceOp { Sum, Max }

/// <summary>Pooling kinds.</summary>
public enum PoolKind { Max, Average }
