// Plain C# reference for last-axis reductions, accumulating sums in double.
namespace My3DGen.Kernels;

/// <summary>Reference implementation of <see cref="ReduceKernels"/>.</summary>
internal static class ReduceReference
{
    /// <summary>y[o] = reduce_i x[o·inner + i] (Sum in double; Max propagates NaN like MathF.Max).</summary>
    public static void LastAxis(ReadOnlySpan<float> x, int outer, int inner, ReduceOp op, Span<float> y)
    {
        for (int o = 0; o < outer; o++)
        {
            var row = x.Slice(o * inner, inner);
            if (op == ReduceOp.Max)
            {
                float m = float.NegativeInfinity;
                foreach (var v in row) m = MathF.Max(m, v);
                y[o] = m;
            }
            else
            {
                double s = 0;
                foreach (var v in row) s += v;
                y[o] = (float)s;
            }
        }
    }
}
