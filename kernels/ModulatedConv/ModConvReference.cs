// Plain C# reference of the modulated-conv kernel family (ModConvGeometry): forward (LoRA hidden, raw conv, epilogue)
// and backward (epilogue, input, trainable factors), loop by loop in double precision, for the kernel tests of both
// backends. Layouts: x [N,I,H,W], s [N,I], W [O,I,K,K], A [R,Q,I,K,K], B [R,O,Q], index [N] (adapter per sample),
// u [N,Q,OH,OW], raw [N,O,OH,OW], r/y [N,O,EH,EW] (r = raw for plain layers, FIR(raw) for up layers), d [N,O].
namespace My3DGen.Kernels;

/// <summary>Reference for the modulated-conv kernels of both backends.</summary>
public static class ModConvReference
{
    /// <summary>The input pixel (iy, ix) that tap (ty, tx) of raw output (qy, qx) reads: the one walk over the conv geometry
    /// (plain: (qy+ty−K/2, qx+tx−K/2); up: qy = 2·iy+ty, qx = 2·ix+tx). False when there is none inside the image.</summary>
    public static bool Tap(in ModConvGeometry g, int qy, int qx, int ty, int tx, out int iy, out int ix)
    {
        if (g.Up == 2)
        {
            int dy = qy - ty, dx = qx - tx;
            iy = dy >> 1; ix = dx >> 1;
            return dy >= 0 && dx >= 0 && (dy & 1) == 0 && (dx & 1) == 0 && iy < g.H && ix < g.W;
        }
        iy = qy + ty - g.K / 2; ix = qx + tx - g.K / 2;
        return iy >= 0 && ix >= 0 && iy < g.H && ix < g.W;
    }

    /// <summary>Σ_{i,t} w[i,t]·s[n,i]·x[n,i,q⊕t] for one sample and one weight row w (I·K² values).</summary>
    static double Correlate(in ModConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> s, ReadOnlySpan<float> w, int n, int qy, int qx)
    {
        double acc = 0;
        for (int i = 0; i < g.I; i++)
        {
            double si = s[n * g.I + i];
            for (int ty = 0; ty < g.K; ty++)
                for (int tx = 0; tx < g.K; tx++)
                    if (Tap(g, qy, qx, ty, tx, out int iy, out int ix))
                        acc += w[(i * g.K + ty) * g.K + tx] * si * x[((n * g.I + i) * g.H + iy) * g.W + ix];
        }
        return acc;
    }

    /// <summary>u[n,j,q] = Σ A[index[n]][j,i,t]·s[n,i]·x[n,i,q⊕t] (the LoRA hidden, Q rows).</summary>
    public static void Hidden(in ModConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> s, ReadOnlySpan<float> a,
        ReadOnlySpan<int> index, Span<float> u)
    {
        int ik = g.I * g.Taps, p = g.OH * g.OW;
        for (int n = 0; n < g.N; n++)
            for (int j = 0; j < g.Rank; j++)
            {
                var row = a.Slice((index[n] * g.Rank + j) * ik, ik);
                for (int qy = 0; qy < g.OH; qy++)
                    for (int qx = 0; qx < g.OW; qx++)
                        u[(n * g.Rank + j) * p + qy * g.OW + qx] = (float)Correlate(g, x, s, row, n, qy, qx);
            }
    }

    /// <summary>raw[n,o,q] = Σ W[o,i,t]·s[n,i]·x[n,i,q⊕t] + LoraScale·Σ_j B[index[n]][o,j]·u[n,j,q] (u from
    /// <see cref="Hidden"/>; a, b, index, u empty when Rank = 0).</summary>
    public static void Forward(in ModConvGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> s, ReadOnlySpan<float> w,
        ReadOnlySpan<float> b, ReadOnlySpan<int> index, ReadOnlySpan<float> u, Span<float> raw)
    {
        int ik = g.I * g.Taps, p = g.OH * g.OW;
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
                for (int qy = 0; qy < g.OH; qy++)
                    for (int qx = 0; qx < g.OW; qx++)
                    {
                        double acc = Correlate(g, x, s, w.Slice(o * ik, ik), n, qy, qx);
                        for (int j = 0; j < g.Rank; j++)
                            acc += (double)g.LoraScale * b[(index[n] * g.O + o) * g.Rank + j] * u[(n * g.Rank + j) * p + qy * g.OW + qx];
                        raw[(n * g.O + o) * p + qy * g.OW + qx] = (float)acc;
                    }
    }

    /// <summary>The pre-activation d[n,o]·r + strength·noise + bias[o] at flat output index e = ((n·O + o)·EH + ey)·EW + ex.</summary>
    static double PreActivation(in ModConvGeometry g, ReadOnlySpan<float> r, ReadOnlySpan<float> d, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> noise, float strength, long e)
    {
        long p = (long)g.EH * g.EW, row = e / p;
        int n = (int)(row / g.O), o = (int)(row % g.O);
        double v = (d.IsEmpty ? 1.0 : d[(int)row]) * r[(int)e];
        if (g.Noise == ModConvNoise.Shared) v += (double)strength * noise[(int)(e % p)];
        else if (g.Noise == ModConvNoise.PerSample) v += (double)strength * noise[(int)(n * p + e % p)];
        if (g.HasBias) v += bias[o];
        return v;
    }

    /// <summary>y = clamp(act(d·r + strength·noise + bias)·Gain, ±Clamp) (d empty = 1; bias/noise per the geometry).</summary>
    public static void Epilogue(in ModConvGeometry g, ReadOnlySpan<float> r, ReadOnlySpan<float> d, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> noise, float strength, Span<float> y)
    {
        for (long e = 0; e < g.OutputLength; e++)
        {
            double v = PreActivation(g, r, d, bias, noise, strength, e);
            v = (v < 0 ? v * g.Slope : v) * g.Gain;
            if (g.Clamp > 0) v = Math.Clamp(v, -g.Clamp, g.Clamp);
            y[(int)e] = (float)v;
        }
    }

    /// <summary>Backward of <see cref="Epilogue"/>: gpre = gy·Gain·act'(pre)·[|act(pre)·Gain| ≤ Clamp]; gr = d·gpre,
    /// gd[n,o] = Σ_p gpre·r, gBiasRows[n,o] = Σ_p gpre, gStrengthRows[n,o] = Σ_p gpre·noise (the op sums the rows).</summary>
    public static void EpilogueBackward(in ModConvGeometry g, ReadOnlySpan<float> gy, ReadOnlySpan<float> r, ReadOnlySpan<float> d,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> noise, float strength, Span<float> gr, Span<float> gd, Span<float> gBiasRows,
        Span<float> gStrengthRows)
    {
        long p = (long)g.EH * g.EW;
        for (int row = 0; row < g.N * g.O; row++)
        {
            double sd = 0, sb = 0, ss = 0;
            int n = row / g.O;
            for (long q = 0; q < p; q++)
            {
                long e = row * p + q;
                double pre = PreActivation(g, r, d, bias, noise, strength, e);
                double act = (pre < 0 ? pre * g.Slope : pre) * g.Gain;
                double gpre = g.Clamp > 0 && Math.Abs(act) > g.Clamp ? 0 : gy[(int)e] * g.Gain * (pre < 0 ? g.Slope : 1.0);
                gr[(int)e] = (float)((d.IsEmpty ? 1.0 : d[row]) * gpre);
                sd += gpre * r[(int)e];
                sb += gpre;
                if (g.Noise == ModConvNoise.Shared) ss += gpre * noise[(int)q];
                else if (g.Noise == ModConvNoise.PerSample) ss += gpre * noise[(int)(n * p + q)];
            }
            gd[row] = (float)sd; gBiasRows[row] = (float)sb; gStrengthRows[row] = (float)ss;
        }
    }

    /// <summary>gxs[n,i,·] = ∂(Σ graw·raw)/∂xs: the adjoint of the conv (W and, with LoRA, A[index[n]] applied to
    /// gu = LoraScale·B[index[n]]ᵀ·graw). Overwrites gxs [N,I,H,W]; the op forms gx = s·gxs and gs = Σ_p gxs·x.</summary>
    public static void BackwardData(in ModConvGeometry g, ReadOnlySpan<float> graw, ReadOnlySpan<float> w, ReadOnlySpan<float> a,
        ReadOnlySpan<float> b, ReadOnlySpan<int> index, Span<float> gxs)
    {
        int p = g.OH * g.OW;
        var gu = HiddenGradient(g, graw, b, index);
        var acc = new double[g.InputLength];
        for (int n = 0; n < g.N; n++)
            for (int qy = 0; qy < g.OH; qy++)
                for (int qx = 0; qx < g.OW; qx++)
                    for (int i = 0; i < g.I; i++)
                        for (int ty = 0; ty < g.K; ty++)
                            for (int tx = 0; tx < g.K; tx++)
                            {
                                if (!Tap(g, qy, qx, ty, tx, out int iy, out int ix)) continue;
                                int t = ty * g.K + tx;
                                double v = 0;
                                for (int o = 0; o < g.O; o++) v += (double)w[(o * g.I + i) * g.Taps + t] * graw[(n * g.O + o) * p + qy * g.OW + qx];
                                for (int j = 0; j < g.Rank; j++)
                                    v += (double)a[((index[n] * g.Rank + j) * g.I + i) * g.Taps + t] * gu[(n * g.Rank + j) * p + qy * g.OW + qx];
                                acc[((n * g.I + i) * g.H + iy) * g.W + ix] += v;
                            }
        for (long e = 0; e < acc.Length; e++) gxs[(int)e] = (float)acc[e];
    }

    /// <summary>gu[n,j,q] = LoraScale·Σ_o B[index[n]][o,j]·graw[n,o,q] (the gradient reaching the LoRA hidden).</summary>
    public static double[] HiddenGradient(in ModConvGeometry g, ReadOnlySpan<float> graw, ReadOnlySpan<float> b, ReadOnlySpan<int> index)
    {
        int p = g.OH * g.OW;
        var gu = new double[g.HiddenLength];
        for (int n = 0; n < g.N; n++)
            for (int j = 0; j < g.Rank; j++)
                for (int q = 0; q < p; q++)
                {
                    double v = 0;
                    for (int o = 0; o < g.O; o++) v += (double)b[(index[n] * g.O + o) * g.Rank + j] * graw[(n * g.O + o) * p + q];
                    gu[(n * g.Rank + j) * p + q] = g.LoraScale * v;
                }
        return gu;
    }

    /// <summary>Gradients of the trainable factors, accumulated (+=) into the non-empty outputs:
    /// gw[o,i,t] += Σ_n Σ_q graw[n,o,q]·s[n,i]·x[n,i,q⊕t];
    /// gb[index[n]][o,j] += LoraScale·Σ_q graw[n,o,q]·u[n,j,q];
    /// ga[index[n]][j,i,t] += Σ_q gu[n,j,q]·s[n,i]·x[n,i,q⊕t] with gu from <see cref="HiddenGradient"/>.</summary>
    public static void BackwardWeights(in ModConvGeometry g, ReadOnlySpan<float> graw, ReadOnlySpan<float> x, ReadOnlySpan<float> s,
        ReadOnlySpan<float> b, ReadOnlySpan<int> index, ReadOnlySpan<float> u, Span<float> gw, Span<float> ga, Span<float> gb)
    {
        int p = g.OH * g.OW;
        var gu = g.Rank > 0 ? HiddenGradient(g, graw, b, index) : [];
        for (int n = 0; n < g.N; n++)
            for (int i = 0; i < g.I; i++)
                for (int ty = 0; ty < g.K; ty++)
                    for (int tx = 0; tx < g.K; tx++)
                    {
                        int t = ty * g.K + tx;
                        var col = new double[p];   // xs[n,i,q⊕t] per raw output q (0 outside)
                        for (int qy = 0; qy < g.OH; qy++)
                            for (int qx = 0; qx < g.OW; qx++)
                                if (Tap(g, qy, qx, ty, tx, out int iy, out int ix))
                                    col[qy * g.OW + qx] = (double)s[n * g.I + i] * x[((n * g.I + i) * g.H + iy) * g.W + ix];
                        if (!gw.IsEmpty)
                            for (int o = 0; o < g.O; o++)
                            {
                                double v = 0;
                                for (int q = 0; q < p; q++) v += graw[(n * g.O + o) * p + q] * col[q];
                                gw[(o * g.I + i) * g.Taps + t] += (float)v;
                            }
                        if (!ga.IsEmpty)
                            for (int j = 0; j < g.Rank; j++)
                            {
                                double v = 0;
                                for (int q = 0; q < p; q++) v += gu[(n * g.Rank + j) * p + q] * col[q];
                                ga[((index[n] * g.Rank + j) * g.I + i) * g.Taps + t] += (float)v;
                            }
                    }
        if (gb.IsEmpty) return;
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
                for (int j = 0; j < g.Rank; j++)
                {
                    double v = 0;
                    for (int q = 0; q < p; q++) v += (double)graw[(n * g.O + o) * p + q] * u[(n * g.Rank + j) * p + q];
                    gb[(index[n] * g.O + o) * g.Rank + j] += (float)(g.LoraScale * v);
                }
    }
}
