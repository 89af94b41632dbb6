// Integer operator codes switched on inside kernels. The numbering is identical to the engine's
// UnaryOp / BinaryOp / ReduceOp / PoolKind enums (a test checks names and values), so the backend casts.
namespace My3DGen.Kernels;

/// <summary>Unary elementwise operator codes (same order as the engine's UnaryOp).</summary>
public static class UnaryCode
{
    public const int Neg = 0, Exp = 1, Log = 2, Sqrt = 3, Rsqrt = 4, Abs = 5, Relu = 6, LeakyRelu = 7,
        Softplus = 8, Sigmoid = 9, Tanh = 10, Clamp = 11, PowScalar = 12, Affine = 13;
    /// <summary>Number of codes.</summary>
    public const int Count = 14;
}

/// <summary>Binary elementwise operator codes (same order as the engine's BinaryOp).</summary>
public static class BinaryCode
{
    public const int Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Maximum = 5, Minimum = 6;
    /// <summary>Number of codes.</summary>
    public const int Count = 7;
}

/// <summary>Reduction codes (same order as the engine's ReduceOp).</summary>
public static class ReduceCode
{
    public const int Sum = 0, Max = 1;
    /// <summary>Number of codes.</summary>
    public const int Count = 2;
}
