// Plain double-precision reference implementations of every tensor op, written as direct loops
// from the definitions (independent of the engine's code paths) for the op tests to compare against.
using My3DGen.Kernels;
using My3DGen.Engine.Backends;

namespace My3DGen.Engine.Tests.Support;

public static class ReferenceOps
{
    /// <summary>Double-precision definition of every unary operator (parameters as documented on UnaryOp).</summary>
    public static double UnaryDouble(UnaryOp op, double x, double a, double b) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Rsqrt => 1 / Math.Sqrt(x),
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Relu => x > 0 ? x : 0,
        UnaryOp.LeakyRelu => x >= 0 ? x : a * x,
        UnaryOp.Softplus => a * x > b ? x : Math.Log(1 + Math.Exp(a * x)) / a,
        UnaryOp.Sigmoid => 1 / (1 + Math.Exp(-x)),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Clamp => Math.Min(Math.Max(x, a), b),
        UnaryOp.PowScalar => Math.Pow(x, a),
        UnaryOp.Affine => a * x + b,
        UnaryOp.Sin => Math.Sin(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static double BinaryDouble(BinaryOp op, double x, double y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Pow => Math.Pow(x, y),
        BinaryOp.Maximum => Math.Max(x, y),
        BinaryOp.Minimum => Math.Min(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static RefTensor Unary(RefTensor x, Func<double, double> f) => new(x.Shape, x.Data.Select(f).ToArray());

    public static RefTensor Binary(RefTensor a, RefTensor b, Func<double, double, double> f)
    {
        int r = Math.Max(a.Shape.Length, b.Shape.Length);
        var shape = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Shape.Length) >= 0 ? a.Shape[i - (r - a.Shape.Length)] : 1;
            int db = i - (r - b.Shape.Length) >= 0 ? b.Shape[i - (r - b.Shape.Length)] : 1;
            shape[i] = Math.Max(da, db);
        }
        var y = new RefTensor(shape);
        for (int lin = 0; lin < y.Data.Length; lin++)
        {
            var idx = y.Unravel(lin);
            y.Data[lin] = f(a.Data[BroadcastIndex(a, idx)], b.Data[BroadcastIndex(b, idx)]);
        }
        return y;
    }

    static int BroadcastIndex(RefTensor t, int[] idx)
    {
        int pad = idx.Length - t.Shape.Length, o = 0;
        for (int i = 0; i < t.Shape.Length; i++) o += (t.Shape[i] == 1 ? 0 : idx[i + pad]) * t.Strides[i];
        return o;
    }

    public static RefTensor Reduce(RefTensor x, int[] axes, bool keepDim, Func<IEnumerable<double>, double> f)
    {
        var kept = x.Shape.Select((s, i) => axes.Contains(i) ? 1 : s).ToArray();
        var groups = new Dictionary<int, List<double>>();
        var k = new RefTensor(kept);
        for (int lin = 0; lin < x.Data.Length; lin++)
        {
            var idx = x.Unravel(lin);
            for (int a = 0; a < idx.Length; a++) if (axes.Contains(a)) idx[a] = 0;
            int key = k.Index(idx);
            if (!groups.TryGetValue(key, out var l)) groups[key] = l = new List<double>();
            l.Add(x.Data[lin]);
        }
        for (int i = 0; i < k.Data.Length; i++) k.Data[i] = f(groups[i]);
        return keepDim ? k : new RefTensor(x.Shape.Where((_, i) => !axes.Contains(i)).ToArray(), k.Data);
    }

    public static RefTensor MatMul(RefTensor a, RefTensor b)
    {
        bool batched = a.Shape.Length == 3;
        int B = batched ? a.Shape[0] : 1, M = a.Shape[^2], K = a.Shape[^1], N = b.Shape[^1];
        var y = new RefTensor(batched ? [B, M, N] : [M, N]);
        for (int q = 0; q < B; q++)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double s = 0;
                    for (int k = 0; k < K; k++)
                        s += a.Data[q * M * K + i * K + k] * b.Data[(b.Shape.Length == 3 ? q * K * N : 0) + k * N + j];
                    y.Data[q * M * N + i * N + j] = s;
                }
        return y;
    }

    public static RefTensor Conv2d(RefTensor x, RefTensor w, RefTensor? bias, int stride, int pad, int groups)
    {
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        int O = w.Shape[0], cg = w.Shape[1], KH = w.Shape[2], KW = w.Shape[3];
        int OH = (H + 2 * pad - KH) / stride + 1, OW = (W + 2 * pad - KW) / stride + 1;
        int og = O / groups;
        var y = new RefTensor([N, O, OH, OW]);
        for (int n = 0; n < N; n++)
            for (int o = 0; o < O; o++)
                for (int oy = 0; oy < OH; oy++)
                    for (int ox = 0; ox < OW; ox++)
                    {
                        double s = bias?.Data[o] ?? 0;
                        int gi = o / og;
                        for (int c = 0; c < cg; c++)
                            for (int ky = 0; ky < KH; ky++)
                                for (int kx = 0; kx < KW; kx++)
                                {
                                    int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                    s += x[n, gi * cg + c, iy, ix] * w[o, c, ky, kx];
                                }
                        y[n, o, oy, ox] = s;
                    }
        return y;
    }

    /// <summary>Transposed conv by scattering each input pixel (the textbook definition).</summary>
    public static RefTensor ConvTranspose2d(RefTensor x, RefTensor w, RefTensor? bias, int stride, int pad, int outPad, int groups)
    {
        int N = x.Shape[0], Cin = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        int cog = w.Shape[1], KH = w.Shape[2], KW = w.Shape[3];
        int Cout = cog * groups, cig = Cin / groups;
        int OH = (H - 1) * stride - 2 * pad + KH + outPad, OW = (W - 1) * stride - 2 * pad + KW + outPad;
        var y = new RefTensor([N, Cout, OH, OW]);
        for (int n = 0; n < N; n++)
            for (int ci = 0; ci < Cin; ci++)
                for (int iy = 0; iy < H; iy++)
                    for (int ix = 0; ix < W; ix++)
                        for (int co = 0; co < cog; co++)
                            for (int ky = 0; ky < KH; ky++)
                                for (int kx = 0; kx < KW; kx++)
                                {
                                    int oy = iy * stride - pad + ky, ox = ix * stride - pad + kx;
                                    if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
                                    y[n, (ci / cig) * cog + co, oy, ox] += x[n, ci, iy, ix] * w[ci, co, ky, kx];
                                }
        if (bias != null)
            for (int i = 0; i < y.Data.Length; i++) y.Data[i] += bias.Data[y.Unravel(i)[1]];
        return y;
    }

    /// <summary>EG3D's [1,3,3,1] up filter (taps ¼,¾,¾,¼ per axis), zero padding pad, output outH×outW, + bias[c].</summary>
    public static RefTensor UpFir(RefTensor x, RefTensor? bias, int pad, int outH, int outW)
    {
        double[] f = [0.25, 0.75, 0.75, 0.25];
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        var y = new RefTensor([N, C, outH, outW]);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                    {
                        double s = bias == null ? 0 : bias.Data[c];
                        for (int a = 0; a < 4; a++)
                            for (int b = 0; b < 4; b++)
                            {
                                int ih = i + a - pad, iw = j + b - pad;
                                if (ih >= 0 && ih < H && iw >= 0 && iw < W) s += f[a] * f[b] * x[n, c, ih, iw];
                            }
                        y[n, c, i, j] = s;
                    }
        return y;
    }

    /// <summary>Gathers y[idx] = x[map(idx)] for a layout op given as an index map on the output.</summary>
    public static RefTensor Gather(RefTensor x, int[] outShape, Func<int[], int[]?> map, double fill = 0)
    {
        var y = new RefTensor(outShape);
        for (int lin = 0; lin < y.Data.Length; lin++)
        {
            var src = map(y.Unravel(lin));
            y.Data[lin] = src == null ? fill : x[src];
        }
        return y;
    }

    /// <summary>Bilinear resize, align_corners=False, straight from PyTorch's documented formulas; the antialiased
    /// variant uses the triangle filter of support max(scale, 1), normalised per output sample.</summary>
    public static RefTensor Resize(RefTensor x, int oh, int ow, bool antialias)
    {
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        var wy = Weights1d(H, oh, antialias);
        var wx = Weights1d(W, ow, antialias);
        var y = new RefTensor([N, C, oh, ow]);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = 0;
                        foreach (var (iy, a) in wy[i])
                            foreach (var (ix, b) in wx[j]) s += a * b * x[n, c, iy, ix];
                        y[n, c, i, j] = s;
                    }
        return y;
    }

    static List<(int, double)>[] Weights1d(int inLen, int outLen, bool aa)
    {
        var rows = new List<(int, double)>[outLen];
        double scale = (double)inLen / outLen;
        for (int i = 0; i < outLen; i++)
        {
            rows[i] = new();
            if (!aa)
            {
                double src = Math.Max(scale * (i + 0.5) - 0.5, 0);
                int i0 = Math.Min((int)Math.Floor(src), inLen - 1), i1 = Math.Min(i0 + 1, inLen - 1);
                double l = src - i0;
                rows[i].Add((i0, 1 - l)); rows[i].Add((i1, l));
                continue;
            }
            double support = Math.Max(scale, 1), center = scale * (i + 0.5), total = 0;
            var tmp = new List<(int, double)>();
            for (int j = 0; j < inLen; j++)
            {
                double t = Math.Abs((j + 0.5 - center) / Math.Max(scale, 1));
                if (Math.Abs(j + 0.5 - center) >= support) continue;
                double wv = Math.Max(0, 1 - t);
                tmp.Add((j, wv)); total += wv;
            }
            foreach (var (j, wv) in tmp) rows[i].Add((j, wv / total));
        }
        return rows;
    }

    /// <summary>Adaptive average pooling: output (i, j) averages the input window rows floor(i·H/oh)..ceil((i+1)·H/oh)−1 (same for columns).</summary>
    public static RefTensor AreaResize(RefTensor x, int oh, int ow)
    {
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        var y = new RefTensor([N, C, oh, ow]);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int y0 = i * H / oh, y1 = ((i + 1) * H + oh - 1) / oh, x0 = j * W / ow, x1 = ((j + 1) * W + ow - 1) / ow;
                        double s = 0;
                        for (int a = y0; a < y1; a++)
                            for (int b = x0; b < x1; b++) s += x[n, c, a, b];
                        y[n, c, i, j] = s / ((y1 - y0) * (x1 - x0));
                    }
        return y;
    }

    public static RefTensor Pool(RefTensor x, bool max, int k, int stride, int pad)
    {
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3];
        int OH = (H + 2 * pad - k) / stride + 1, OW = (W + 2 * pad - k) / stride + 1;
        var y = new RefTensor([N, C, OH, OW]);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int oy = 0; oy < OH; oy++)
                    for (int ox = 0; ox < OW; ox++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                acc = max ? Math.Max(acc, x[n, c, iy, ix]) : acc + x[n, c, iy, ix];
                            }
                        y[n, c, oy, ox] = max ? acc : acc / (k * k);
                    }
        return y;
    }
}
