// The table of op test cases: for every OpKind at least one case with odd shapes, its engine
// forward and its plain double reference. Forward tests, gradient checks and the coverage test all read it.
using My3DGen.Kernels;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;
using R = My3DGen.Engine.Tests.Support.ReferenceOps;

namespace My3DGen.Engine.Tests.Ops;

/// <summary>One op test case. Inputs are drawn uniformly from ±[Lo, Hi] (or [Lo, Hi] when Positive).</summary>
public sealed record OpCase(OpKind Kind, string Label, int[][] Shapes, Func<Tensor[], Tensor> Forward,
    Func<RefTensor[], RefTensor> Reference, double Lo = 0.05, double Hi = 1.0, bool Positive = false,
    bool Differentiable = true, double Tolerance = 2e-5, float GradEps = 1e-2f)
{
    public override string ToString() => $"{Kind}:{Label}";

    public float[][] MakeInputs(int seed)
    {
        var rng = new Random(seed);
        return Shapes.Select(s =>
        {
            var d = new float[s.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < d.Length; i++)
            {
                double v = Lo + (Hi - Lo) * rng.NextDouble();
                d[i] = (float)(Positive || rng.Next(2) == 0 ? v : -v);
            }
            return d;
        }).ToArray();
    }
}

public static class OpCases
{
    static OpCase U(OpKind k, UnaryOp op, float a = 0, float b = 0, bool positive = false, double lo = 0.05, double hi = 1.0) =>
        new(k, op.ToString(), [[3, 5, 7]], t => Elementwise.Unary(op, t[0], a, b),
            x => R.Unary(x[0], v => R.UnaryDouble(op, v, a, b)), lo, hi, positive);

    static OpCase B(OpKind k, BinaryOp op, int[] sa, int[] sb, bool positive = false, string label = "") =>
        new(k, $"{op}{label}", [sa, sb], t => Elementwise.Binary(op, t[0], t[1]),
            x => R.Binary(x[0], x[1], (p, q) => R.BinaryDouble(op, p, q)), Positive: positive, Lo: positive ? 0.5 : 0.05, Hi: positive ? 1.5 : 1.0);

    public static IEnumerable<OpCase> All()
    {
        yield return U(OpKind.Neg, UnaryOp.Neg);
        yield return U(OpKind.Exp, UnaryOp.Exp);
        yield return U(OpKind.Log, UnaryOp.Log, positive: true, lo: 0.2, hi: 3);
        yield return U(OpKind.Sqrt, UnaryOp.Sqrt, positive: true, lo: 0.2, hi: 3);
        yield return U(OpKind.Rsqrt, UnaryOp.Rsqrt, positive: true, lo: 0.2, hi: 3);
        yield return U(OpKind.Abs, UnaryOp.Abs);
        yield return U(OpKind.Relu, UnaryOp.Relu);
        yield return U(OpKind.LeakyRelu, UnaryOp.LeakyRelu, 0.2f);
        yield return U(OpKind.Softplus, UnaryOp.Softplus, 1f, 20f, hi: 4);
        yield return U(OpKind.Sigmoid, UnaryOp.Sigmoid, hi: 4);
        yield return U(OpKind.Tanh, UnaryOp.Tanh, hi: 2);
        yield return U(OpKind.Clamp, UnaryOp.Clamp, -0.5f, 0.6f);
        yield return U(OpKind.PowScalar, UnaryOp.PowScalar, 2.5f, positive: true, lo: 0.2, hi: 2);
        yield return U(OpKind.Affine, UnaryOp.Affine, 1.7f, -0.3f);
        yield return U(OpKind.Sin, UnaryOp.Sin, hi: 3);

        yield return B(OpKind.Add, BinaryOp.Add, [2, 3, 5], [2, 3, 5]);
        yield return B(OpKind.Add, BinaryOp.Add, [2, 3, 5], [3, 1], label: "-broadcast");
        yield return B(OpKind.Sub, BinaryOp.Sub, [4, 1, 6], [1, 5, 6], label: "-broadcast");
        yield return B(OpKind.Mul, BinaryOp.Mul, [2, 3, 33], [2, 3, 33]);
        yield return B(OpKind.Mul, BinaryOp.Mul, [2, 3, 4, 5], [3, 1, 1], label: "-channel");
        yield return B(OpKind.Mul, BinaryOp.Mul, [4, 6, 9], [4, 6, 1], label: "-per-row");
        yield return B(OpKind.Div, BinaryOp.Div, [5, 3], [5, 1], positive: true, label: "-per-row");
        yield return B(OpKind.Div, BinaryOp.Div, [3, 7], [7], positive: true, label: "-row");
        yield return B(OpKind.Pow, BinaryOp.Pow, [3, 7], [3, 7], positive: true);
        yield return B(OpKind.Maximum, BinaryOp.Maximum, [3, 7], [1, 7], label: "-broadcast");
        yield return B(OpKind.Minimum, BinaryOp.Minimum, [3, 7], [3, 7]);

        yield return new(OpKind.Sum, "axes1", [[3, 4, 5]], t => t[0].Sum([1]), x => R.Reduce(x[0], [1], false, v => v.Sum()));
        yield return new(OpKind.Sum, "axes02-keep", [[3, 4, 5]], t => t[0].Sum([0, 2], keepDim: true), x => R.Reduce(x[0], [0, 2], true, v => v.Sum()));
        yield return new(OpKind.Sum, "all", [[37, 29]], t => t[0].Sum(), x => R.Reduce(x[0], [0, 1], false, v => v.Sum()), Tolerance: 1e-4);
        yield return new(OpKind.Mean, "axes23", [[2, 3, 4, 5]], t => t[0].Mean([2, 3]), x => R.Reduce(x[0], [2, 3], false, v => v.Average()));
        yield return new(OpKind.Max, "axis1", [[3, 6, 5]], t => t[0].Max([1]), x => R.Reduce(x[0], [1], false, v => v.Max()));

        yield return new(OpKind.MatMul, "2d", [[7, 13], [13, 5]], t => t[0].MatMul(t[1]), x => R.MatMul(x[0], x[1]), Tolerance: 1e-4);
        yield return new(OpKind.MatMul, "batched", [[3, 5, 9], [3, 9, 4]], t => t[0].MatMul(t[1]), x => R.MatMul(x[0], x[1]), Tolerance: 1e-4);
        yield return new(OpKind.MatMul, "shared-rhs", [[2, 5, 9], [9, 4]], t => t[0].MatMul(t[1]), x => R.MatMul(x[0], x[1]), Tolerance: 1e-4);
        yield return new(OpKind.MatMul, "transposed-lhs", [[13, 7], [13, 5]], t => t[0].Transpose(0, 1).MatMul(t[1]),
            x => R.MatMul(Transpose2d(x[0]), x[1]), Tolerance: 1e-4);

        yield return new(OpKind.Conv2d, "3x3-pad1-bias", [[2, 3, 7, 6], [4, 3, 3, 3], [4]],
            t => Convolution.Conv2d(t[0], t[1], t[2], 1, 1), x => R.Conv2d(x[0], x[1], x[2], 1, 1, 1), Tolerance: 1e-4);
        yield return new(OpKind.Conv2d, "stride2-groups2", [[1, 4, 9, 8], [6, 2, 3, 3]],
            t => Convolution.Conv2d(t[0], t[1], null, 2, 1, 2), x => R.Conv2d(x[0], x[1], null, 2, 1, 2), Tolerance: 1e-4);
        yield return new(OpKind.Conv2d, "1x1", [[2, 5, 4, 3], [3, 5, 1, 1]],
            t => Convolution.Conv2d(t[0], t[1]), x => R.Conv2d(x[0], x[1], null, 1, 0, 1), Tolerance: 1e-4);
        yield return new(OpKind.ConvTranspose2d, "stride2-bias", [[2, 3, 4, 5], [3, 2, 3, 3], [2]],
            t => Convolution.ConvTranspose2d(t[0], t[1], t[2], stride: 2), x => R.ConvTranspose2d(x[0], x[1], x[2], 2, 0, 0, 1), Tolerance: 1e-4);
        yield return new(OpKind.ConvTranspose2d, "pad1-outpad1-groups2", [[1, 4, 3, 3], [4, 1, 3, 3]],
            t => Convolution.ConvTranspose2d(t[0], t[1], null, 2, 1, 1, 2), x => R.ConvTranspose2d(x[0], x[1], null, 2, 1, 1, 2), Tolerance: 1e-4);
        yield return new(OpKind.Fir2d, "up-pad1-bias", [[2, 3, 7, 6], [3]],
            t => Filtering.UpFir(t[0], 1, 6, 5, t[1]), x => R.UpFir(x[0], x[1], 1, 6, 5), Tolerance: 1e-5);
        yield return new(OpKind.Fir2d, "adjoint-pad2", [[1, 2, 4, 5]],
            t => Filtering.UpFir(t[0], 2, 5, 6), x => R.UpFir(x[0], null, 2, 5, 6), Tolerance: 1e-5);

        yield return new(OpKind.Reshape, "noncontiguous", [[3, 4, 5]], t => t[0].Permute(2, 0, 1).Reshape(5, 12),
            x => R.Gather(x[0], [5, 12], i => [i[1] / 4, i[1] % 4, i[0]]));
        yield return new(OpKind.Permute, "021", [[3, 4, 5]], t => t[0].Permute(0, 2, 1).Contiguous(),
            x => R.Gather(x[0], [3, 5, 4], i => [i[0], i[2], i[1]]));
        yield return new(OpKind.Slice, "step2", [[4, 9]], t => t[0].Slice(1, 1, 4, 2).Contiguous(),
            x => R.Gather(x[0], [4, 4], i => [i[0], 1 + 2 * i[1]]));
        yield return new(OpKind.Concat, "axis1", [[2, 3, 4], [2, 2, 4]], t => ShapeOps.Concat([t[0], t[1]], 1),
            x => R.Gather(Cat(x[0], x[1]), [2, 5, 4], i => i));
        yield return new(OpKind.Pad, "pad-and-crop", [[2, 5, 6]], t => ShapeOps.Pad(t[0], [0, 0, 2, -1, -1, 3], 0.5f),
            x => R.Gather(x[0], [2, 6, 8], i => i[1] - 2 < 0 || i[2] + 1 >= 6 ? null : [i[0], i[1] - 2, i[2] + 1], 0.5));
        yield return new(OpKind.Expand, "broadcast", [[3, 1, 4]], t => t[0].Expand(2, 3, 5, 4).Contiguous(),
            x => R.Gather(x[0], [2, 3, 5, 4], i => [i[1], 0, i[3]]));
        yield return new(OpKind.Contiguous, "transposed", [[6, 7]], t => t[0].Transpose(0, 1).Contiguous(forceCopy: true),
            x => R.Gather(x[0], [7, 6], i => [i[1], i[0]]));

        yield return new(OpKind.IndexSelect, "dup-indices", [[3, 5, 4]],
            t => Indexing.IndexSelect(t[0], 1, Tensor.FromInts(t[0].Backend, [4, 0, 4, 2], 4)),
            x => R.Gather(x[0], [3, 4, 4], i => [i[0], new[] { 4, 0, 4, 2 }[i[1]], i[2]]));
        yield return new(OpKind.ResizeBilinear, "up-7x5-to-12x9", [[1, 2, 7, 5]], t => Resampling.ResizeBilinear(t[0], 12, 9),
            x => R.Resize(x[0], 12, 9, false));
        yield return new(OpKind.ResizeBilinear, "down-antialias-16x12-to-5x4", [[2, 1, 16, 12]], t => Resampling.ResizeBilinear(t[0], 5, 4, antialias: true),
            x => R.Resize(x[0], 5, 4, true));
        yield return new(OpKind.ResizeBilinear, "up-antialias", [[1, 1, 4, 6]], t => Resampling.ResizeBilinear(t[0], 8, 12, antialias: true),
            x => R.Resize(x[0], 8, 12, true));
        yield return new(OpKind.ResizeArea, "down-overlapping-9x7-to-4x3", [[2, 1, 9, 7]], t => Resampling.ResizeArea(t[0], 4, 3), x => R.AreaResize(x[0], 4, 3));
        yield return new(OpKind.ResizeArea, "up-3x5-to-7x8", [[1, 2, 3, 5]], t => Resampling.ResizeArea(t[0], 7, 8), x => R.AreaResize(x[0], 7, 8));
        yield return new(OpKind.AvgPool2d, "k2s2", [[2, 3, 7, 6]], t => Pooling.AvgPool2d(t[0], 2, 2), x => R.Pool(x[0], false, 2, 2, 0));
        yield return new(OpKind.AvgPool2d, "k3s1p1", [[1, 2, 5, 4]], t => Pooling.AvgPool2d(t[0], 3, 1, 1), x => R.Pool(x[0], false, 3, 1, 1));
        yield return new(OpKind.MaxPool2d, "k2s1p1", [[2, 2, 5, 6]], t => Pooling.MaxPool2d(t[0], 2, 1, 1), x => R.Pool(x[0], true, 2, 1, 1), GradEps: 1e-4f);
        yield return new(OpKind.MaxPool2d, "k3s2", [[1, 3, 7, 7]], t => Pooling.MaxPool2d(t[0], 3, 2), x => R.Pool(x[0], true, 3, 2, 0), GradEps: 1e-4f);
        foreach (var c in RenderOpCases.All()) yield return c;
        foreach (var c in ModConvOpCases.All()) yield return c;
        yield return new(OpKind.WeightSquareSums, "3x3", [[5, 4, 3, 3]], t => ModulatedConvolution.WeightSquareSums(t[0]),
            x => R.Reduce(new RefTensor([5, 4, 9], x[0].Data.Select(v => v * v).ToArray()), [2], false, v => v.Sum()));
        yield return new(OpKind.WeightSquareSums, "1x1", [[3, 7, 1, 1]], t => ModulatedConvolution.WeightSquareSums(t[0]),
            x => new RefTensor([3, 7], x[0].Data.Select(v => v * v).ToArray()));
    }

    static RefTensor Transpose2d(RefTensor a) => R.Gather(a, [a.Shape[1], a.Shape[0]], i => [i[1], i[0]]);

    static RefTensor Cat(RefTensor a, RefTensor b)
    {
        var y = new RefTensor([2, 5, 4]);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 4; k++)
                    y[i, j, k] = j < 3 ? a[i, j, k] : b[i, j - 3, k];
        return y;
    }
}
