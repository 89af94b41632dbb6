// IlgpuBackend: CSR axis resampling, 2-D pooling and its gradient, index-select and index-add.
using System.Runtime.InteropServices;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void ApplyAxisWeights(Storage x, int outer, int inner, AxisWeights weights, Storage y)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y));
        Need(xs, 0, (long)outer * weights.InLength * inner, nameof(x));
        Need(ys, 0, (long)outer * weights.OutLength * inner, nameof(y));
        if (weights.RowStart.Length != weights.OutLength + 1)
            throw new ArgumentException($"RowStart has {weights.RowStart.Length} entries, expected {weights.OutLength + 1}", nameof(weights));
        int nnz = weights.RowStart[^1];
        if (weights.Indices.Length < nnz || weights.Weights.Length < nnz)
            throw new ArgumentException("CSR indices/weights are shorter than RowStart says", nameof(weights));
        foreach (var i in weights.Indices.AsSpan(0, nnz))
            if ((uint)i >= (uint)weights.InLength) throw new ArgumentOutOfRangeException(nameof(weights), $"index {i} outside [0, {weights.InLength})");
        int total = outer * weights.OutLength * inner;
        if (total == 0) return;
        var rows = UploadInts(weights.RowStart);
        var idx = UploadInts(weights.Indices.AsSpan(0, nnz));
        var w = Temp(Math.Max(nnz, 1));
        try
        {
            Upload(weights.Weights.AsSpan(0, nnz), w, 0);
            _kernels.AxisWeights.Value(_kernels.Linear(total), xs.View, ys.View, rows.IntView, idx.IntView, w.View,
                outer, weights.InLength, weights.OutLength, inner);
        }
        finally { rows.Release(); idx.Release(); w.Release(); }
    }

    /// <inheritdoc/>
    public void Pool2d(PoolKind kind, in PoolGeometry g, Storage x, Storage y, Storage? argmax)
    {
        var p = Checked(g);
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y));
        Need(xs, 0, p.InCount, nameof(x)); Need(ys, 0, p.OutCount, nameof(y));
        if (p.OutCount == 0) return;
        var cfg = _kernels.Linear(p.OutCount);
        if (kind == PoolKind.Average) { _kernels.AvgPool.Value(cfg, xs.View, ys.View, p); return; }
        var am = argmax == null ? null : Own(argmax, nameof(argmax));
        if (am != null) Need(am, 0, p.OutCount, nameof(argmax));
        _kernels.MaxPool.Value(cfg, xs.View, ys.View, (am ?? ys).IntView, p, am == null ? 0 : 1);
    }

    /// <inheritdoc/>
    public void Pool2dGrad(PoolKind kind, in PoolGeometry g, Storage gy, Storage? argmax, Storage gx)
    {
        var p = Checked(g);
        var gys = Own(gy, nameof(gy)); var gxs = Own(gx, nameof(gx));
        Need(gys, 0, p.OutCount, nameof(gy)); Need(gxs, 0, p.InCount, nameof(gx));
        if (p.InCount == 0) return;
        var cfg = _kernels.Linear(p.InCount);
        if (kind == PoolKind.Average) { _kernels.AvgPoolGrad.Value(cfg, gys.View, gxs.View, p); return; }
        if (argmax == null) throw new ArgumentNullException(nameof(argmax), "max-pool gradient needs the forward argmax");
        var am = Own(argmax, nameof(argmax));
        Need(am, 0, p.OutCount, nameof(argmax));
        _kernels.MaxPoolGrad.Value(cfg, gys.View, am.IntView, gxs.View, p);
    }

    /// <inheritdoc/>
    public void IndexSelect(Storage x, int outer, int axisLength, int inner, Storage indices, int count, Storage y)
    {
        var xs = Own(x, nameof(x)); var ids = Own(indices, nameof(indices)); var ys = Own(y, nameof(y));
        Need(xs, 0, (long)outer * axisLength * inner, nameof(x)); Need(ids, 0, count, nameof(indices));
        Need(ys, 0, (long)outer * count * inner, nameof(y));
        int total = outer * count * inner;
        if (total == 0) return;
        _kernels.IndexSelect.Value(_kernels.Linear(total), xs.View, ids.IntView, ys.View, outer, axisLength, inner, count);
    }

    /// <inheritdoc/>
    public void IndexAdd(Storage gy, int outer, int axisLength, int inner, Storage indices, int count, Storage gx)
    {
        gx.MarkWritten();
        var gys = Own(gy, nameof(gy)); var ids = Own(indices, nameof(indices)); var gxs = Own(gx, nameof(gx));
        Need(gys, 0, (long)outer * count * inner, nameof(gy)); Need(ids, 0, count, nameof(indices));
        Need(gxs, 0, (long)outer * axisLength * inner, nameof(gx));
        int total = outer * count * inner;
        if (total == 0) return;
        if (DeterministicIndexAdd)
            _kernels.IndexAddOrdered.Value(_kernels.Linear((long)outer * inner), gys.View, ids.IntView, gxs.View, outer, axisLength, inner, count);
        else
            _kernels.IndexAdd.Value(_kernels.Linear(total), gys.View, ids.IntView, gxs.View, outer, axisLength, inner, count);
    }

    /// <summary>Throws unless the geometry describes a non-empty pooling.</summary>
    static PoolGeometry Checked(in PoolGeometry g)
    {
        if (g.KH <= 0 || g.KW <= 0 || g.StrideH <= 0 || g.StrideW <= 0 || g.PadH < 0 || g.PadW < 0)
            throw new ArgumentException("pool kernel and stride must be positive, padding non-negative", nameof(g));
        if (g.OH <= 0 || g.OW <= 0) throw new ArgumentException($"empty pool output {g.OH}×{g.OW}", nameof(g));
        return g;
    }

    /// <summary>Uploads int32 values bit for bit into a temporary storage (caller releases it).</summary>
    IlgpuStorage UploadInts(ReadOnlySpan<int> values)
    {
        var s = Temp(Math.Max(values.Length, 1));
        Upload(MemoryMarshal.Cast<int, float>(values), s, 0);
        return s;
    }
}
