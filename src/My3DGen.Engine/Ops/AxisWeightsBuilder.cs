// Builds the 1-D resampling matrices used by resizing: PyTorch's plain bilinear (align_corners true/false), its
// antialiased variant (triangle filter widened by the scale when downsampling) and adaptive average pooling ('area'),
// plus the transpose used by the backward pass. Results are cached.
using System.Collections.Concurrent;
using My3DGen.Engine.Backends;

namespace My3DGen.Engine.Ops;

internal static class AxisWeightsBuilder
{
    static readonly ConcurrentDictionary<(int, int, bool, bool, bool), AxisWeights> Cache = new();

    /// <summary>Weights mapping an axis of <paramref name="inLen"/> samples to <paramref name="outLen"/>.</summary>
    public static AxisWeights Bilinear(int inLen, int outLen, bool alignCorners, bool antialias, bool transpose = false) =>
        Cache.GetOrAdd((inLen, outLen, alignCorners, antialias, transpose), k =>
        {
            var fwd = antialias && !alignCorners ? Antialiased(k.Item1, k.Item2) : Plain(k.Item1, k.Item2, k.Item3);
            return k.Item5 ? Transpose(fwd) : fwd;
        });

    static readonly ConcurrentDictionary<(int, int, bool), AxisWeights> AreaCache = new();

    /// <summary>Adaptive-average-pool weights: output i averages inputs floor(i·in/out) .. ceil((i+1)·in/out) − 1.</summary>
    public static AxisWeights Area(int inLen, int outLen, bool transpose = false) =>
        AreaCache.GetOrAdd((inLen, outLen, transpose), k =>
        {
            var rows = new List<(int, float)[]>();
            for (int i = 0; i < k.Item2; i++)
            {
                int start = (int)((long)i * k.Item1 / k.Item2), end = (int)(((long)(i + 1) * k.Item1 + k.Item2 - 1) / k.Item2);
                rows.Add(Enumerable.Range(start, end - start).Select(j => (j, 1f / (end - start))).ToArray());
            }
            var fwd = ToCsr(k.Item1, k.Item2, rows);
            return k.Item3 ? Transpose(fwd) : fwd;
        });

    static AxisWeights Plain(int inLen, int outLen, bool alignCorners)
    {
        var rows = new List<(int, float)[]>();
        double scale = alignCorners ? (outLen > 1 ? (inLen - 1.0) / (outLen - 1.0) : 0.0) : (double)inLen / outLen;
        float scaleF = (float)scale;
        for (int i = 0; i < outLen; i++)
        {
            // PyTorch computes the source coordinate in float32 with the float32 scale.
            float src = alignCorners ? scaleF * i : MathF.Max(scaleF * (i + 0.5f) - 0.5f, 0f);
            int i0 = Math.Min((int)src, inLen - 1);
            int i1 = Math.Min(i0 + 1, inLen - 1);
            float l1 = src - i0, l0 = 1f - l1;
            rows.Add(i0 == i1 ? [(i0, l0 + l1)] : [(i0, l0), (i1, l1)]);
        }
        return ToCsr(inLen, outLen, rows);
    }

    static AxisWeights Antialiased(int inLen, int outLen)
    {
        var rows = new List<(int, float)[]>();
        double scale = (double)inLen / outLen;
        double support = scale >= 1.0 ? scale : 1.0;
        double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
        for (int i = 0; i < outLen; i++)
        {
            double center = scale * (i + 0.5);
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inLen);
            var w = new double[Math.Max(0, xmax - xmin)];
            double total = 0;
            for (int j = 0; j < w.Length; j++)
            {
                double t = Math.Abs((j + xmin - center + 0.5) * invScale);
                w[j] = t < 1.0 ? 1.0 - t : 0.0;
                total += w[j];
            }
            var row = new (int, float)[w.Length];
            for (int j = 0; j < w.Length; j++) row[j] = (xmin + j, (float)(total != 0 ? w[j] / total : 0));
            rows.Add(row);
        }
        return ToCsr(inLen, outLen, rows);
    }

    static AxisWeights ToCsr(int inLen, int outLen, List<(int Index, float Weight)[]> rows)
    {
        var start = new int[outLen + 1];
        var idx = new List<int>();
        var wts = new List<float>();
        for (int r = 0; r < outLen; r++)
        {
            start[r] = idx.Count;
            foreach (var (i, w) in rows[r]) { idx.Add(i); wts.Add(w); }
        }
        start[outLen] = idx.Count;
        return new AxisWeights(inLen, outLen, start, idx.ToArray(), wts.ToArray());
    }

    /// <summary>The transposed matrix (maps OutLength back to InLength), for gradients.</summary>
    public static AxisWeights Transpose(AxisWeights a)
    {
        var rows = Enumerable.Range(0, a.InLength).Select(_ => new List<(int, float)>()).ToArray();
        for (int r = 0; r < a.OutLength; r++)
            for (int k = a.RowStart[r]; k < a.RowStart[r + 1]; k++) rows[a.Indices[k]].Add((r, a.Weights[k]));
        return ToCsr(a.OutLength, a.InLength, rows.Select(l => l.ToArray()).ToList());
    }
}
