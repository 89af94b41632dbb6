// The managed CPU backend: memory, copies and elementwise/reduction primitives in plain C#
// (SIMD via Vector<float> where it pays, Parallel.For over chunks). GEMM/conv, resampling,
// pooling, indexing and Adam live in the other CpuBackend.*.cs files.
using System.Numerics;
using System.Runtime.InteropServices;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

/// <summary>The managed CPU backend (SIMD, multi-threaded); one shared instance.</summary>
public sealed partial class CpuBackend : IBackend
{
    const int Grain = 1 << 15;
    /// <summary>The shared instance.</summary>
    public static CpuBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => $"cpu ({Environment.ProcessorCount} threads, {SimdGemm.KernelName})";
    /// <inheritdoc/>
    public BackendKind Kind => BackendKind.ManagedCpu;

    static float[] D(Storage s) => ((CpuStorage)s).Data;
    /// <summary>The array of a destination that may hold older contents: bumps its write version first (Storage.Version).</summary>
    static float[] Dst(Storage s) { s.MarkWritten(); return ((CpuStorage)s).Data; }

    /// <inheritdoc/>
    public Storage Allocate(long count) => new CpuStorage(this, count);
    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> src, Storage dst, long dstOffset) => src.CopyTo(Dst(dst).AsSpan((int)dstOffset));
    /// <inheritdoc/>
    public void Download(Storage src, long srcOffset, Span<float> dst) => D(src).AsSpan((int)srcOffset, dst.Length).CopyTo(dst);
    /// <inheritdoc/>
    public void Fill(Storage dst, long offset, long count, float value) => Dst(dst).AsSpan((int)offset, (int)count).Fill(value);
    /// <inheritdoc/>
    public void Synchronize() { }
    /// <inheritdoc/>
    public void Dispose() { }

    /// <inheritdoc/>
    public void Copy(Storage src, KernelView sv, Storage dst, KernelView dv)
    {
        var s = D(src); var d = Dst(dst);
        int n = sv.Count;
        if (sv.IsContiguous && dv.IsContiguous) { s.AsSpan(sv.Offset, n).CopyTo(d.AsSpan(dv.Offset, n)); return; }
        int inner = sv.S5;
        int rows = n / Math.Max(1, inner);
        CpuParallel.For(rows, Math.Max(1, Grain / Math.Max(1, inner)), (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                int lin = (int)r * inner;
                int si = sv.IndexOf(lin), di = dv.IndexOf(lin);
                if (sv.T5 == 1 && dv.T5 == 1) s.AsSpan(si, inner).CopyTo(d.AsSpan(di, inner));
                else for (int i = 0; i < inner; i++) d[di + i * dv.T5] = s[si + i * sv.T5];
            }
        });
    }

    /// <inheritdoc/>
    public void Unary(UnaryOp op, Storage x, int xOffset, Storage y, int yOffset, int n, float a, float b)
    {
        var xs = D(x); var ys = Dst(y);
        CpuParallel.For(n, Grain, (s, e) =>
        {
            var src = xs.AsSpan(xOffset + (int)s, (int)(e - s));
            var dst = ys.AsSpan(yOffset + (int)s, (int)(e - s));
            if (op == UnaryOp.Affine) AffineSimd(src, dst, a, b);
            else UnaryOperators.Dispatch<MapLoop, int>(op, new MapLoop(xs, xOffset + (int)s, ys, yOffset + (int)s, (int)(e - s), a, b));
        });
    }

    /// <summary>y = F(x) over a range, specialised per operator struct.</summary>
    readonly struct MapLoop(float[] x, int xo, float[] y, int yo, int n, float a, float b) : IUnaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IUnaryOperator
        {
            var f = default(TOp);
            for (int i = 0; i < n; i++) y[yo + i] = f.Apply(x[xo + i], a, b);
            return n;
        }
    }

    /// <summary>gx = gy·D(x, y) over a range, specialised per operator struct.</summary>
    readonly struct GradLoop(float[] x, float[] y, float[] gy, float[] gx, int s, int e, float a, float b) : IUnaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IUnaryOperator
        {
            var f = default(TOp);
            for (int i = s; i < e; i++) gx[i] = gy[i] * f.Derivative(x[i], y[i], a, b);
            return e - s;
        }
    }

    static void AffineSimd(ReadOnlySpan<float> x, Span<float> y, float a, float b)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a); var vb = new Vector<float>(b);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int k = 0; k < vx.Length; k++) vy[k] = vx[k] * va + vb;
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = a * x[i] + b;
    }

    /// <inheritdoc/>
    public void UnaryGrad(UnaryOp op, Storage x, Storage y, Storage gy, Storage gx, int n, float a, float b)
    {
        var xs = D(x); var ys = D(y); var gys = D(gy); var gxs = D(gx);
        CpuParallel.For(n, Grain, (s, e) =>
            UnaryOperators.Dispatch<GradLoop, int>(op, new GradLoop(xs, ys, gys, gxs, (int)s, (int)e, a, b)));
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, Storage a, KernelView av, Storage b, KernelView bv, Storage y, int n)
    {
        var xa = D(a); var xb = D(b); var ys = Dst(y);
        if (av.IsContiguous && bv.IsContiguous && op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div)
        {
            CpuParallel.For(n, Grain, (s, e) =>
                BinarySimd(op, xa.AsSpan(av.Offset + (int)s, (int)(e - s)), xb.AsSpan(bv.Offset + (int)s, (int)(e - s)), ys.AsSpan((int)s, (int)(e - s))));
            return;
        }
        int inner = av.S5;
        int rows = n / Math.Max(1, inner);
        if (av.IsContiguous && bv.T5 == 0 && (bv with { S5 = 1 }).IsContiguous && op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div)
        {
            // Dense rows against one value of b per row, b's values dense ([rows, inner] ∘ [rows, 1]): no index math per row,
            // which dominates short rows (e.g. a weight's 9 taps scaled per (o, i)).
            CpuParallel.For(rows, Math.Max(1, Grain / Math.Max(1, inner)), (r0, r1) =>
            {
                if (inner < ShortRow)
                {
                    CpuRowExpansion.ForBlocks(xb.AsSpan(bv.Offset + (int)r0, (int)(r1 - r0)), inner, (start, expanded) =>
                    {
                        int lin = ((int)r0 + start) * inner;
                        BinarySimd(op, xa.AsSpan(av.Offset + lin, expanded.Length), expanded, ys.AsSpan(lin, expanded.Length));
                    });
                    return;
                }
                for (long r = r0; r < r1; r++)
                {
                    int lin = (int)r * inner;
                    BinarySimdScalar(op, xa.AsSpan(av.Offset + lin, inner), xb[bv.Offset + (int)r], scalarOnLeft: false, ys.AsSpan(lin, inner));
                }
            });
            return;
        }
        CpuParallel.For(rows, Math.Max(1, Grain / Math.Max(1, inner)), (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                int lin = (int)r * inner;
                int ia = av.IndexOf(lin), ib = bv.IndexOf(lin);
                bool simdOp = op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div;
                if (simdOp && av.T5 == 1 && bv.T5 == 1)
                    BinarySimd(op, xa.AsSpan(ia, inner), xb.AsSpan(ib, inner), ys.AsSpan(lin, inner));
                else if (simdOp && av.T5 == 1 && bv.T5 == 0)   // a row against one value of b (e.g. [N,C,H,W] ∘ [N,C,1,1])
                    BinarySimdScalar(op, xa.AsSpan(ia, inner), xb[ib], scalarOnLeft: false, ys.AsSpan(lin, inner));
                else if (simdOp && av.T5 == 0 && bv.T5 == 1)
                    BinarySimdScalar(op, xb.AsSpan(ib, inner), xa[ia], scalarOnLeft: true, ys.AsSpan(lin, inner));
                else
                    BinaryOperators.Dispatch<StridedBinaryLoop, int>(op, new StridedBinaryLoop(xa, ia, av.T5, xb, ib, bv.T5, ys, lin, inner));
            }
        });
    }

    /// <summary>Rows shorter than this are processed as blocks of rows with b's per-row values expanded (CpuRowExpansion).</summary>
    const int ShortRow = 16;

    static void BinarySimd(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            switch (op)
            {
                case BinaryOp.Add: for (int k = 0; k < vy.Length; k++) vy[k] = va[k] + vb[k]; break;
                case BinaryOp.Sub: for (int k = 0; k < vy.Length; k++) vy[k] = va[k] - vb[k]; break;
                case BinaryOp.Mul: for (int k = 0; k < vy.Length; k++) vy[k] = va[k] * vb[k]; break;
                case BinaryOp.Div: for (int k = 0; k < vy.Length; k++) vy[k] = va[k] / vb[k]; break;
            }
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) y[i] = BinaryOperators.Apply(op, a[i], b[i]);
    }

    /// <summary>y[i] = row[i] ∘ c (or c ∘ row[i] when scalarOnLeft) for the four SIMD operators.</summary>
    static void BinarySimdScalar(BinaryOp op, ReadOnlySpan<float> row, float c, bool scalarOnLeft, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vr = MemoryMarshal.Cast<float, Vector<float>>(row);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            var vc = new Vector<float>(c);
            switch (op)
            {
                case BinaryOp.Add: for (int k = 0; k < vy.Length; k++) vy[k] = vr[k] + vc; break;
                case BinaryOp.Mul: for (int k = 0; k < vy.Length; k++) vy[k] = vr[k] * vc; break;
                case BinaryOp.Sub when scalarOnLeft: for (int k = 0; k < vy.Length; k++) vy[k] = vc - vr[k]; break;
                case BinaryOp.Sub: for (int k = 0; k < vy.Length; k++) vy[k] = vr[k] - vc; break;
                case BinaryOp.Div when scalarOnLeft: for (int k = 0; k < vy.Length; k++) vy[k] = vc / vr[k]; break;
                case BinaryOp.Div: for (int k = 0; k < vy.Length; k++) vy[k] = vr[k] / vc; break;
            }
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) y[i] = scalarOnLeft ? BinaryOperators.Apply(op, c, row[i]) : BinaryOperators.Apply(op, row[i], c);
    }

    /// <summary>y[yo + i] = a[ao + i·sa] ∘ b[bo + i·sb] for i in [0, n), specialised per operator struct.</summary>
    readonly struct StridedBinaryLoop(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] y, int yo, int n) : IBinaryVisitor<int>
    {
        public int Visit<TOp>() where TOp : struct, IBinaryOperator
        {
            var f = default(TOp);
            for (int i = 0; i < n; i++) y[yo + i] = f.Apply(a[ao + i * sa], b[bo + i * sb]);
            return n;
        }
    }

    /// <inheritdoc/>
    public void ReduceLastAxis(ReduceOp op, Storage x, int xOffset, int outer, int inner, Storage y)
    {
        var xs = D(x); var ys = D(y);
        CpuParallel.For(outer, Math.Max(1, Grain / Math.Max(1, inner)), (o0, o1) =>
        {
            for (long o = o0; o < o1; o++)
            {
                var row = xs.AsSpan(xOffset + (int)o * inner, inner);
                if (op == ReduceOp.Sum) ys[o] = (float)SumBlocked(row);
                else
                {
                    float m = float.NegativeInfinity;
                    foreach (var v in row) if (v > m || float.IsNaN(v)) m = v;
                    ys[o] = m;
                }
            }
        });
    }

    /// <summary>Σ row: float vector partial sums over blocks of 1024, the blocks added in double (the same order for
    /// any thread count).</summary>
    static double SumBlocked(ReadOnlySpan<float> row)
    {
        const int Block = 1024;
        double acc = 0;
        for (int b0 = 0; b0 < row.Length; b0 += Block)
        {
            var block = row.Slice(b0, Math.Min(Block, row.Length - b0));
            var vs = MemoryMarshal.Cast<float, Vector<float>>(block);
            var v = Vector<float>.Zero;
            for (int k = 0; k < vs.Length; k++) v += vs[k];
            double part = Vector.Sum(v);
            for (int i = vs.Length * Vector<float>.Count; i < block.Length; i++) part += block[i];
            acc += part;
        }
        return acc;
    }
}
