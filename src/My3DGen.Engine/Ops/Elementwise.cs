// Unary and binary elementwise ops (binary ones broadcast like NumPy), forward and backward side by side.
// Broadcast gradients are summed back to the operand's shape with SumTo.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Unary and broadcasting binary elementwise ops with autograd.</summary>
public static class Elementwise
{
    sealed record UnaryState(UnaryOp Op, float A, float B);

    /// <summary>The OpKind of each unary operator: the member of the same name (type initialisation fails
    /// when an operator has none, so a new operator needs only its OpKind member).</summary>
    static readonly OpKind[] UnaryKinds = Enum.GetValues<UnaryOp>().Select(op => Enum.Parse<OpKind>(op.ToString())).ToArray();

    /// <summary>The tensor-level op of a unary operator (OpTable registers one row per operator).</summary>
    internal static OpKind KindOf(UnaryOp op) =>
        (uint)op < (uint)UnaryKinds.Length ? UnaryKinds[(int)op] : throw new ArgumentOutOfRangeException(nameof(op));

    /// <summary>The tensor-level op of a binary operator.</summary>
    internal static OpKind KindOf(BinaryOp op) => op switch
    {
        BinaryOp.Add => OpKind.Add, BinaryOp.Sub => OpKind.Sub, BinaryOp.Mul => OpKind.Mul, BinaryOp.Div => OpKind.Div,
        BinaryOp.Pow => OpKind.Pow, BinaryOp.Maximum => OpKind.Maximum, BinaryOp.Minimum => OpKind.Minimum,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>y = f(x) elementwise; parameters a, b as defined per operator on <see cref="UnaryOp"/>.</summary>
    public static Tensor Unary(UnaryOp op, Tensor x, float a = 0f, float b = 0f)
    {
        string name = KindOf(op).ToString();
        var be = OpChecks.Float(name, x);
        var xc = x.Compact();
        var y = Tensor.Empty(be, x.Shape);
        be.Unary(op, xc.Storage, 0, y.Storage, 0, (int)x.Numel, a, b);
        Node.Record(y, KindOf(op), [xc], new UnaryState(op, a, b), saveOutput: true);
        return y;
    }

    internal static Tensor?[] UnaryBackward(Node node, Tensor gy)
    {
        var s = node.State<UnaryState>();
        var x = node.Inputs[0];
        var y = node.Output;
        var gyc = gy.Compact();
        var gx = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.UnaryGrad(s.Op, x.Storage, y.Storage, gyc.Storage, gx.Storage, (int)x.Numel, s.A, s.B);
        return [gx];
    }

    /// <summary>Elementwise binary op with NumPy broadcasting.</summary>
    public static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        string name = KindOf(op).ToString();
        var be = OpChecks.Float(name, a, b);
        var shape = ShapeUtil.Broadcast(name, a.Shape, b.Shape);
        var y = Tensor.Empty(be, shape);
        be.Binary(op, a.Storage, a.BroadcastView(shape), b.Storage, b.BroadcastView(shape), y.Storage, (int)y.Numel);
        Node.Record(y, KindOf(op), [a, b], op, saveOutput: op is BinaryOp.Div or BinaryOp.Pow);
        return y;
    }

    internal static Tensor?[] BinaryBackward(Node node, Tensor gy)
    {
        var op = node.State<BinaryOp>();
        var a = node.Inputs[0];
        var b = node.Inputs[1];
        bool na = node.NeedsGrad[0], nb = node.NeedsGrad[1];
        Tensor? ga = null, gb = null;
        switch (op)
        {
            case BinaryOp.Add:
                if (na) ga = SumTo(gy, a.Shape);
                if (nb) gb = SumTo(gy, b.Shape);
                break;
            case BinaryOp.Sub:
                if (na) ga = SumTo(gy, a.Shape);
                if (nb) gb = SumTo(Neg(gy), b.Shape);
                break;
            case BinaryOp.Mul:
                if (na) ga = SumTo(Mul(gy, b), a.Shape);
                if (nb) gb = SumTo(Mul(gy, a), b.Shape);
                break;
            case BinaryOp.Div:
                if (na) ga = SumTo(Div(gy, b), a.Shape);
                if (nb) gb = SumTo(Neg(Div(Mul(gy, node.Output), b)), b.Shape);
                break;
            case BinaryOp.Pow:
                if (na) ga = SumTo(Mul(gy, Mul(b, Binary(BinaryOp.Pow, a, Unary(UnaryOp.Affine, b, 1f, -1f)))), a.Shape);
                if (nb) gb = SumTo(Mul(gy, Mul(node.Output, Unary(UnaryOp.Log, a))), b.Shape);
                break;
            case BinaryOp.Maximum:
            case BinaryOp.Minimum:
            {
                // The gradient goes to a where a wins strictly, otherwise to b (ties go to b).
                var diff = op == BinaryOp.Maximum ? Sub(a, b) : Sub(b, a);
                var gyFull = Mul(gy, Tensor.Ones(gy.Backend, diff.Shape));
                var toA = StepMask(diff, gyFull);
                if (na) ga = SumTo(toA, a.Shape);
                if (nb) gb = SumTo(Sub(gyFull, toA), b.Shape);
                break;
            }
        }
        return [ga, gb];
    }

    /// <summary>g where t &gt; 0, else 0 (the ReLU derivative applied to g); t and g have the same shape.</summary>
    internal static Tensor StepMask(Tensor t, Tensor g)
    {
        var tc = t.Compact();
        var gc = g.Compact();
        var r = Tensor.Empty(t.Backend, t.Shape);
        t.Backend.UnaryGrad(UnaryOp.Relu, tc.Storage, tc.Storage, gc.Storage, r.Storage, (int)t.Numel, 0f, 0f);
        return r;
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/>.</summary>
    public static Tensor SumTo(Tensor g, int[] shape)
    {
        if (ShapeUtil.SameShape(g.Shape, shape)) return g;
        int pad = g.Rank - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < g.Rank; i++)
            if (i < pad || (shape[i - pad] == 1 && g.Shape[i] != 1)) axes.Add(i);
        var s = Reductions.Sum(g, axes.ToArray(), keepDim: true);
        return s.Reshape(shape);
    }

    /// <summary>a + b (broadcasting).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);
    /// <summary>a − b (broadcasting).</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(BinaryOp.Sub, a, b);
    /// <summary>a · b (broadcasting).</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b);
    /// <summary>a / b (broadcasting).</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(BinaryOp.Div, a, b);
    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => Unary(UnaryOp.Neg, x);
}
