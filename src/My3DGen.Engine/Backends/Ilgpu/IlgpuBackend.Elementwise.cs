// IlgpuBackend: elementwise ops (unary, unary-gradient, broadcasting binary) and last-axis reductions.
// The operator enum picks the operator struct once per call; the kernel is compiled per struct.
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void Unary(UnaryOp op, Storage x, int xOffset, Storage y, int yOffset, int n, float a, float b)
    {
        CheckDefined(op);
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y)); y.MarkWritten();
        Need(xs, xOffset, n, nameof(x)); Need(ys, yOffset, n, nameof(y));
        if (n == 0) return;
        UnaryOperators.Dispatch<UnaryLaunch, int>(op,
            new UnaryLaunch(_kernels, _kernels.Linear(n), xs.View.SubView(xOffset, n), ys.View.SubView(yOffset, n), n, a, b));
    }

    /// <inheritdoc/>
    public void UnaryGrad(UnaryOp op, Storage x, Storage y, Storage gy, Storage gx, int n, float a, float b)
    {
        CheckDefined(op);
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y)); var gys = Own(gy, nameof(gy)); var gxs = Own(gx, nameof(gx));
        Need(xs, 0, n, nameof(x)); Need(ys, 0, n, nameof(y)); Need(gys, 0, n, nameof(gy)); Need(gxs, 0, n, nameof(gx));
        if (n == 0) return;
        UnaryOperators.Dispatch<UnaryGradLaunch, int>(op,
            new UnaryGradLaunch(_kernels, _kernels.Linear(n), xs.View, ys.View, gys.View, gxs.View, n, a, b));
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Storage a, KernelView aView, Storage b, KernelView bView, Storage y, int n)
    {
        y.MarkWritten();
        CheckDefined(op);
        var sa = Own(a, nameof(a)); var sb = Own(b, nameof(b)); var sy = Own(y, nameof(y));
        NeedView(sa, aView, n, nameof(a)); NeedView(sb, bView, n, nameof(b)); Need(sy, 0, n, nameof(y));
        if (n == 0) return;
        BinaryOperators.Dispatch<BinaryLaunch, int>(op,
            new BinaryLaunch(_kernels, _kernels.Linear(n), sa.View, aView, sb.View, bView, sy.View, n));
    }

    /// <inheritdoc/>
    public void ReduceLastAxis(ReduceOp op, Storage x, int xOffset, int outer, int inner, Storage y)
    {
        CheckDefined(op);
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y));
        Need(xs, xOffset, (long)outer * inner, nameof(x)); Need(ys, 0, outer, nameof(y));
        if (outer == 0) return;
        if (inner == 0) { Fill(y, 0, outer, ReduceKernels.Identity((int)op)); return; }
        var xv = xs.View.SubView(xOffset, (long)outer * inner);
        bool tree = ReduceKernel switch
        {
            ReduceKernelKind.Tree => true,
            ReduceKernelKind.RowLoop => false,
            _ => Kind != BackendKind.IlgpuCpu && inner >= 256,
        };
        if (tree) _kernels.ReduceTree.Value(_kernels.PerRow(outer), xv, ys.View, outer, inner, (int)op);
        else _kernels.ReduceRowLoop.Value(_kernels.Linear(outer), xv, ys.View, outer, inner, (int)op);
    }

    static void CheckDefined<TEnum>(TEnum op) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(op)) throw new ArgumentOutOfRangeException(nameof(op), op, $"unknown {typeof(TEnum).Name}");
    }

    readonly struct UnaryLaunch(KernelSet k, KernelConfig cfg, ArrayView<float> x, ArrayView<float> y, int n, float a, float b)
        : IUnaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IUnaryOperator { k.Unary<TOp>()(cfg, x, y, n, a, b); return n; }
    }

    readonly struct UnaryGradLaunch(KernelSet k, KernelConfig cfg, ArrayView<float> x, ArrayView<float> y,
        ArrayView<float> gy, ArrayView<float> gx, int n, float a, float b) : IUnaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IUnaryOperator { k.UnaryGrad<TOp>()(cfg, x, y, gy, gx, n, a, b); return n; }
    }

    readonly struct BinaryLaunch(KernelSet k, KernelConfig cfg, ArrayView<float> a, KernelView av, ArrayView<float> b,
        KernelView bv, ArrayView<float> y, int n) : IBinaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IBinaryOperator { k.Binary<TOp>()(cfg, a, av, b, bv, y, n); return n; }
    }

    /// <summary>Throws unless the view's first n elements address only [0, Length) of the storage.</summary>
    static void NeedView(Storage s, in KernelView v, int n, string name)
    {
        if (v.Count != n) throw new ArgumentException($"view of {name} has {v.Count} elements, expected {n}", name);
        if (n == 0) return;
        long lo = v.Offset, hi = v.Offset;
        ReadOnlySpan<int> sz = [v.S0, v.S1, v.S2, v.S3, v.S4, v.S5];
        ReadOnlySpan<int> st = [v.T0, v.T1, v.T2, v.T3, v.T4, v.T5];
        for (int k = 0; k < KernelView.MaxRank; k++)
        {
            long span = (long)(sz[k] - 1) * st[k];
            if (span < 0) lo += span; else hi += span;
        }
        if (lo < 0 || hi >= s.Length)
            throw new ArgumentOutOfRangeException(name, $"view of {name} reaches [{lo}, {hi}] outside a storage of {s.Length} elements");
    }
}
