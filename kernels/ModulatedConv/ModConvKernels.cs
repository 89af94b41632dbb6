// ILGPU kernels of the modulated conv (reference: ModConvReference): forward, input- and factor-gradient implicit GEMMs,
// the standalone epilogue and its backward, the LoRA hidden and B gradients, and the ordered sum of split partials.
// No float atomics: every result is deterministic.
using ILGPU;
using AV = ILGPU.ArrayView<float>;
using AVi = ILGPU.ArrayView<int>;

namespace My3DGen.Kernels;

/// <summary>Modulated-conv kernels; reference: <see cref="ModConvReference"/>.</summary>
internal static class ModConvKernels
{
    /// <summary>Largest group of the per-row reduction kernels (their shared-memory length; power of two).</summary>
    public const int MaxRowGroup = 256;

    /// <summary>Grid (pixel tiles of the largest class, row tiles, samples·classes), group (16, 16): out[n, m, q] =
    /// Σ weight[m]·(s⊙x)[n] over the taps of q's class (weight = W, or A[index[n]] with PerSampleWeight), plus with
    /// LoraTerm LoraScale·Σ_j B[index[n]][m, j]·u[n, j, q]; written to <paramref name="output"/> (WriteOut) and through the
    /// epilogue to <paramref name="y"/> (WriteY).</summary>
    public static void Forward(AV x, AV s, AV weight, AVi index, AV loraB, AV u, AV output, AV y, AV d, AV bias, AV noise,
        AV strength, ModConvPass p)
    {
        int z = p.Z0 + Grid.IdxZ, n = z / p.Classes;
        var tc = ModConvTapClass.Of(p, z - n * p.Classes);
        int col0 = Grid.IdxX * ModConvCore.Tile, row0 = (p.RowTile0 + Grid.IdxY) * ModConvCore.Tile;
        if (col0 >= tc.Pixels) return;                      // the whole group: smaller classes use fewer tiles
        int adapter = p.Has(ModConvPass.PerSampleWeight) || p.Has(ModConvPass.LoraTerm) ? index[n] : 0;
        int kk = p.K * p.K;
        var ops = new ForwardOperands
        {
            X = x, S = s, Weight = weight, C = tc, XBase = (long)n * p.I * p.HW, SBase = n * p.I,
            WBase = p.Has(ModConvPass.PerSampleWeight) ? (long)adapter * p.Q * p.I * kk : 0,
            Rows = p.Rows, KTotal = p.I * tc.Taps, I = p.I, H = p.H, W = p.W, K = p.K,
        };
        var acc = ModConvCore.Accumulate(ref ops, row0, col0, ops.KTotal);
        int plane = p.P, ow = p.OW;
        for (int i = 0; i < 4; i++)
        {
            int m = row0 + Group.IdxY + ModConvCore.Side * i;
            if (m >= p.Rows) continue;
            for (int j = 0; j < 4; j++)
            {
                int c = col0 + Group.IdxX + ModConvCore.Side * j;
                if (c >= tc.Pixels) continue;
                int cy = c / tc.Cols, cx = c - cy * tc.Cols;
                int q = (tc.QStride * cy + tc.PY) * ow + tc.QStride * cx + tc.PX;
                float v = acc.At(i, j);
                if (p.Has(ModConvPass.LoraTerm))
                {
                    float low = 0f;
                    for (int r = 0; r < p.Q; r++)
                        low += loraB[((long)adapter * p.O + m) * p.Q + r] * u[((long)n * p.Q + r) * plane + q];
                    v += p.LoraScale * low;
                }
                long e = ((long)n * p.Rows + m) * plane + q;
                if (p.Has(ModConvPass.WriteOut)) output[e] = v;
                if (p.Has(ModConvPass.WriteY)) y[e] = ModConvCore.Epilogue(p.Epilogue, d, bias, noise, strength, n, m, q, v);
            }
        }
    }

    /// <summary>Grid (input-pixel tiles, row tiles of I, samples), group (16, 16): gxs[n, i, p] = Σ_{c &lt; O, t} W[c,i,t]·graw[n,c,q(p,t)]
    /// + Σ_{j &lt; Q, t} A[index[n]][j,i,t]·gu[n,j,q(p,t)] (overwrites).</summary>
    public static void BackwardData(AV graw, AV weight, AV loraA, AVi index, AV gu, AV gxs, ModConvPass p)
    {
        int n = p.Z0 + Grid.IdxZ;
        int col0 = Grid.IdxX * ModConvCore.Tile, row0 = (p.RowTile0 + Grid.IdxY) * ModConvCore.Tile;
        int kk = p.K * p.K;
        long plane = p.P;
        var ops = new DataOperands
        {
            Weight = weight, LoraA = loraA, Graw = graw, Gu = gu,
            ABase = p.Q > 0 ? (long)index[n] * p.Q * p.I * kk : 0, GrawBase = (long)n * p.O * plane, GuBase = (long)n * p.Q * plane,
            Rows = p.I, KTotal = (p.O + p.Q) * kk, I = p.I, O = p.O, H = p.H, W = p.W, K = p.K, OH = p.OH, OW = p.OW,
            Stride = p.Up, Sign = p.Up == 2 ? 1 : -1, Off = p.Up == 2 ? 0 : p.K / 2,
        };
        var acc = ModConvCore.Accumulate(ref ops, row0, col0, ops.KTotal);
        int hw = p.HW;
        for (int i = 0; i < 4; i++)
        {
            int m = row0 + Group.IdxY + ModConvCore.Side * i;
            if (m >= p.I) continue;
            for (int j = 0; j < 4; j++)
            {
                int c = col0 + Group.IdxX + ModConvCore.Side * j;
                if (c < hw) gxs[((long)n * p.I + m) * hw + c] = acc.At(i, j);
            }
        }
    }

    /// <summary>Grid (column tiles of I·taps, row tiles, samples·chunks·classes), group (16, 16): for sample n, pixel chunk
    /// and tap class, partial[(n·Chunks + chunk), m, i·K² + tap] = Σ_{class pixels in the chunk} [graw; gu][n, RowBegin + m]
    /// ·(s⊙x)[n, i, at the tap] (overwrites; classes write disjoint taps).</summary>
    public static void WeightGrad(AV graw, AV gu, AV x, AV s, AV partial, ModConvPass p)
    {
        int z = p.Z0 + Grid.IdxZ, cls = z % p.Classes, split = z / p.Classes, n = split / p.Chunks, chunk = split - n * p.Chunks;
        var tc = ModConvTapClass.Of(p, cls);
        int col0 = Grid.IdxX * ModConvCore.Tile, row0 = (p.RowTile0 + Grid.IdxY) * ModConvCore.Tile;
        int cols = p.I * tc.Taps;
        if (col0 >= cols) return;                           // the whole group: classes with fewer taps have fewer columns
        int pixelBase = chunk * p.ChunkPixels;
        int count = tc.Pixels - pixelBase;
        count = count < 0 ? 0 : count > p.ChunkPixels ? p.ChunkPixels : count;
        long plane = p.P;
        var ops = new WeightGradOperands
        {
            X = x, S = s, Graw = graw, Gu = gu, C = tc, XBase = (long)n * p.I * p.HW, GrawBase = (long)n * p.O * plane,
            GuBase = (long)n * p.Q * plane, SBase = n * p.I, Rows = p.Rows, RowBegin = p.RowBegin, KTotal = count, PixelBase = pixelBase,
            I = p.I, O = p.O, H = p.H, W = p.W, OW = p.OW, Plane = p.P,
        };
        var acc = ModConvCore.Accumulate(ref ops, row0, col0, count);
        int kk = p.K * p.K, it = p.I * kk;
        long block = (long)split * p.Rows * it;
        for (int i = 0; i < 4; i++)
        {
            int m = row0 + Group.IdxY + ModConvCore.Side * i;
            if (m >= p.Rows) continue;
            for (int j = 0; j < 4; j++)
            {
                int c = col0 + Group.IdxX + ModConvCore.Side * j;
                if (c >= cols) continue;
                int ci = c / tc.Taps;
                partial[block + (long)m * it + ci * kk + tc.Tap(c - ci * tc.Taps, p.K)] = acc.At(i, j);
            }
        }
    }

    /// <summary>Grid-stride over N·O·EH·EW: y = epilogue(r) (<see cref="ModConvCore.Epilogue"/>).</summary>
    public static void Epilogue(AV r, AV d, AV bias, AV noise, AV strength, AV y, ModConvEpilogueParams e, int rows)
    {
        long total = (long)rows * e.Pixels;
        for (long t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int row = (int)(t / e.Pixels), n = row / e.O;
            long pixel = t - (long)row * e.Pixels;
            y[t] = ModConvCore.Epilogue(e, d, bias, noise, strength, n, row - n * e.O, pixel, r[t]);
        }
    }

    /// <summary>One group per row (n, o), grid-stride over rows: gr = d·gpre and the row sums gd = Σ gpre·r,
    /// gBias = Σ gpre, gStrength = Σ gpre·noise, reduced by a fixed tree (deterministic). Group size: power of two ≤ 256.</summary>
    public static void EpilogueBackward(AV gy, AV r, AV d, AV bias, AV noise, AV strength, AV gr, AV gd, AV gBias, AV gStrength,
        ModConvEpilogueParams e, int rows)
    {
        var sd = SharedMemory.Allocate<float>(MaxRowGroup);
        var sb = SharedMemory.Allocate<float>(MaxRowGroup);
        var ss = SharedMemory.Allocate<float>(MaxRowGroup);
        int t = Group.IdxX, dim = Group.DimX;
        for (int row = Grid.IdxX; row < rows; row += Grid.DimX)
        {
            int n = row / e.O, o = row - n * e.O;
            float dv = e.HasDemod != 0 ? d[row] : 1f;
            float accD = 0f, accB = 0f, accS = 0f;
            long rowBase = (long)row * e.Pixels;
            for (int q = t; q < e.Pixels; q += dim)
            {
                long i = rowBase + q;
                float rv = r[i];
                float pre = ModConvCore.PreActivation(e, d, bias, noise, strength, n, o, q, rv);
                float gpre = ModConvCore.PreActivationGradient(e, pre, gy[i]);
                gr[i] = dv * gpre;
                accD += gpre * rv;
                accB += gpre;
                if (e.Noise == (int)ModConvNoise.Shared) accS += gpre * noise[q];
                else if (e.Noise == (int)ModConvNoise.PerSample) accS += gpre * noise[(long)n * e.Pixels + q];
            }
            sd[t] = accD; sb[t] = accB; ss[t] = accS;
            Group.Barrier();
            for (int h = dim / 2; h > 0; h >>= 1)
            {
                if (t < h) { sd[t] += sd[t + h]; sb[t] += sb[t + h]; ss[t] += ss[t + h]; }
                Group.Barrier();
            }
            if (t == 0) { gd[row] = sd[0]; gBias[row] = sb[0]; gStrength[row] = ss[0]; }
            Group.Barrier();
        }
    }

    /// <summary>Grid-stride over N·Q·P: gu[n, j, q] = LoraScale·Σ_o B[index[n]][o, j]·graw[n, o, q].</summary>
    public static void HiddenGradient(AV graw, AV loraB, AVi index, AV gu, ModConvPass p, int samples)
    {
        long plane = p.P, perSample = p.Q * plane, total = samples * perSample;
        for (long t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int n = (int)(t / perSample);
            long rem = t - n * perSample;
            int j = (int)(rem / plane);
            long q = rem - j * plane;
            long bRow = (long)index[n] * p.O * p.Q + j, gBase = (long)n * p.O * plane + q;
            float v = 0f;
            for (int o = 0; o < p.O; o++) v += loraB[bRow + (long)o * p.Q] * graw[gBase + o * plane];
            gu[t] = p.LoraScale * v;
        }
    }

    /// <summary>One group per (n, o, j), grid-stride: partial[(n·O + o)·Q + j] = LoraScale·Σ_q graw[n,o,q]·u[n,j,q]
    /// (fixed tree; the adapter sum follows in <see cref="SumSplits"/>).</summary>
    public static void LoraBGrad(AV graw, AV u, AV partial, ModConvPass p, int samples)
    {
        var sh = SharedMemory.Allocate<float>(MaxRowGroup);
        int t = Group.IdxX, dim = Group.DimX, rows = samples * p.O * p.Q;
        long plane = p.P;
        for (int row = Grid.IdxX; row < rows; row += Grid.DimX)
        {
            int n = row / (p.O * p.Q), rem = row - n * p.O * p.Q, o = rem / p.Q, j = rem - o * p.Q;
            long gBase = ((long)n * p.O + o) * plane, uBase = ((long)n * p.Q + j) * plane;
            float acc = 0f;
            for (int q = t; q < p.P; q += dim) acc += graw[gBase + q] * u[uBase + q];
            sh[t] = acc;
            Group.Barrier();
            for (int h = dim / 2; h > 0; h >>= 1)
            {
                if (t < h) sh[t] += sh[t + h];
                Group.Barrier();
            }
            if (t == 0) partial[row] = p.LoraScale * sh[0];
            Group.Barrier();
        }
    }

    /// <summary>Grid-stride over Slots·Count: the ordered sum of <see cref="ModConvSplitSum"/> added into <paramref name="output"/>.</summary>
    public static void SumSplits(AV partial, AVi index, AV output, ModConvSplitSum p)
    {
        long total = (long)p.Slots * p.Count;
        for (long t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int slot = (int)(t / p.Count);
            long e = t - (long)slot * p.Count;
            float acc = 0f;
            for (int n = 0; n < p.Samples; n++)
            {
                if (p.Shared == 0 && index[n] != slot) continue;
                for (int c = 0; c < p.Chunks; c++) acc += partial[((long)n * p.Chunks + c) * p.Stride + p.Offset + e];
            }
            output[t] += acc;
        }
    }
}
