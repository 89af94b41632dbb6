// CPU backend primitives for separable resampling (CSR axis weights), pooling, index select/add and Adam.
using My3DGen.Kernels;
namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void ApplyAxisWeights(Storage x, int outer, int inner, AxisWeights w, Storage y)
    {
        var xs = D(x); var ys = D(y);
        int inLen = w.InLength, outLen = w.OutLength;
        CpuParallel.For((long)outer * outLen, Math.Max(1, 4096 / Math.Max(1, inner)), (s, e) =>
        {
            for (long q = s; q < e; q++)
            {
                int o = (int)(q / outLen), r = (int)(q % outLen);
                var dst = ys.AsSpan((o * outLen + r) * inner, inner);
                dst.Clear();
                for (int k = w.RowStart[r]; k < w.RowStart[r + 1]; k++)
                {
                    float wk = w.Weights[k];
                    var src = xs.AsSpan((o * inLen + w.Indices[k]) * inner, inner);
                    for (int i = 0; i < inner; i++) dst[i] += wk * src[i];
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Pool2d(PoolKind kind, in PoolGeometry g, Storage x, Storage y, Storage? argmax)
    {
        var xs = D(x); var ys = D(y);
        var am = argmax == null ? null : D(argmax);
        var geo = g;
        CpuParallel.For(g.Planes, 1, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
                for (int oy = 0; oy < geo.OH; oy++)
                    for (int ox = 0; ox < geo.OW; ox++)
                    {
                        int outIdx = ((int)p * geo.OH + oy) * geo.OW + ox;
                        float acc = kind == PoolKind.Max ? float.NegativeInfinity : 0f;
                        int best = -1;
                        for (int ky = 0; ky < geo.KH; ky++)
                        {
                            int iy = oy * geo.StrideH - geo.PadH + ky;
                            if (iy < 0 || iy >= geo.H) continue;
                            for (int kx = 0; kx < geo.KW; kx++)
                            {
                                int ix = ox * geo.StrideW - geo.PadW + kx;
                                if (ix < 0 || ix >= geo.W) continue;
                                int idx = ((int)p * geo.H + iy) * geo.W + ix;
                                float v = xs[idx];
                                if (kind == PoolKind.Average) acc += v;
                                else if (v > acc || best < 0 || float.IsNaN(v)) { acc = v; best = idx; }
                            }
                        }
                        if (kind == PoolKind.Average) ys[outIdx] = acc / (geo.KH * geo.KW);
                        else { ys[outIdx] = acc; am![outIdx] = BitConverter.Int32BitsToSingle(best); }
                    }
        });
    }

    /// <inheritdoc/>
    public void Pool2dGrad(PoolKind kind, in PoolGeometry g, Storage gy, Storage? argmax, Storage gx)
    {
        var gys = D(gy); var gxs = D(gx);
        var am = argmax == null ? null : D(argmax);
        var geo = g;
        int planeIn = g.H * g.W, planeOut = g.OH * g.OW;
        CpuParallel.For(g.Planes, 1, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                gxs.AsSpan((int)p * planeIn, planeIn).Clear();
                for (int oy = 0; oy < geo.OH; oy++)
                    for (int ox = 0; ox < geo.OW; ox++)
                    {
                        int outIdx = (int)p * planeOut + oy * geo.OW + ox;
                        float gv = gys[outIdx];
                        if (kind == PoolKind.Max) { gxs[BitConverter.SingleToInt32Bits(am![outIdx])] += gv; continue; }
                        float share = gv / (geo.KH * geo.KW);
                        for (int ky = 0; ky < geo.KH; ky++)
                        {
                            int iy = oy * geo.StrideH - geo.PadH + ky;
                            if (iy < 0 || iy >= geo.H) continue;
                            for (int kx = 0; kx < geo.KW; kx++)
                            {
                                int ix = ox * geo.StrideW - geo.PadW + kx;
                                if (ix >= 0 && ix < geo.W) gxs[(int)p * planeIn + iy * geo.W + ix] += share;
                            }
                        }
                    }
            }
        });
    }

    /// <inheritdoc/>
    public void IndexSelect(Storage x, int outer, int axisLength, int inner, Storage indices, int count, Storage y)
    {
        var xs = D(x); var ys = D(y); var ids = D(indices);
        CpuParallel.For((long)outer * count, Math.Max(1, Grain / Math.Max(1, inner)), (s, e) =>
        {
            for (long q = s; q < e; q++)
            {
                int o = (int)(q / count), j = (int)(q % count);
                int src = BitConverter.SingleToInt32Bits(ids[j]);
                xs.AsSpan((o * axisLength + src) * inner, inner).CopyTo(ys.AsSpan((int)q * inner, inner));
            }
        });
    }

    /// <inheritdoc/>
    public void IndexAdd(Storage gy, int outer, int axisLength, int inner, Storage indices, int count, Storage gx)
    {
        var gys = D(gy); var gxs = Dst(gx); var ids = D(indices);
        CpuParallel.For(outer, 1, (o0, o1) =>
        {
            for (long o = o0; o < o1; o++)
                for (int j = 0; j < count; j++)
                {
                    int dst = BitConverter.SingleToInt32Bits(ids[j]);
                    var src = gys.AsSpan(((int)o * count + j) * inner, inner);
                    var d = gxs.AsSpan(((int)o * axisLength + dst) * inner, inner);
                    for (int i = 0; i < inner; i++) d[i] += src[i];
                }
        });
    }

    /// <inheritdoc/>
    public void AdamStep(in AdamParams a, Storage p, Storage g, Storage m, Storage v, int n)
    {
        var ps = Dst(p); var gs = D(g); var ms = Dst(m); var vs = Dst(v);
        // As torch.optim.Adam: bias corrections (folded into AdamParams in double), m updated by lerp,
        // eps added after the corrected sqrt.
        float stepSize = a.StepSize, bc2Sqrt = a.Bc2Sqrt;
        var args = a;
        CpuParallel.For(n, Grain, (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                float gi = (args.SanitizeGradient != 0 ? AdamParams.Sanitize(gs[i]) : gs[i]) + (args.WeightDecay != 0f ? args.WeightDecay * ps[i] : 0f);
                ms[i] += (1f - args.Beta1) * (gi - ms[i]);
                vs[i] = args.Beta2 * vs[i] + (1f - args.Beta2) * gi * gi;
                float denom = MathF.Sqrt(vs[i]) / bc2Sqrt + args.Eps;
                ps[i] -= stepSize * (ms[i] / denom);
            }
        });
    }
}
