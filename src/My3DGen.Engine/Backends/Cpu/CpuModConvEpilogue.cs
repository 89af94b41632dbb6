// The modulated conv's epilogue y = clamp(act(d·r + strength·noise + bias)·Gain, ±Clamp) and its backward, one output
// row segment at a time, vectorised. The one formula used by the standalone epilogue, its backward and the conv's fused
// epilogue (FusedModConvEpilogue: LoRA up-projection + epilogue on each finished GEMM strip, with the LoRA hidden computed
// as side rows of the same GEMM: LoraHiddenRows).
using System.Numerics;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

/// <summary>The epilogue constants of one call; Forward/Backward work on a contiguous segment of one (n, o) row.</summary>
internal readonly unsafe struct ModConvEpilogueRow
{
    private readonly float _strength, _slope, _gain, _clamp;

    public ModConvEpilogueRow(in ModConvGeometry g, float strength) =>
        (_strength, _slope, _gain, _clamp) = (strength, g.Slope, g.Gain, g.Clamp);

    /// <summary>y[i] = clamp(act(d·r[i] + strength·noise[i] + bias)·Gain, ±Clamp) for i &lt; len; noise may be null, y may be r.</summary>
    public void Forward(float* r, float* y, int len, float d, float bias, float* noise)
    {
        int i = 0, vc = Vector<float>.Count;
        var vd = new Vector<float>(d); var vb = new Vector<float>(bias); var vs = new Vector<float>(_strength);
        var vslope = new Vector<float>(_slope); var vg = new Vector<float>(_gain); var vc1 = new Vector<float>(_clamp);
        bool clamp = _clamp > 0;
        for (; i + vc <= len; i += vc)
        {
            var v = Vector.Load(r + i) * vd;
            if (noise != null) v += vs * Vector.Load(noise + i);
            v += vb;
            v = Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), v * vslope, v) * vg;
            if (clamp) v = Vector.Min(Vector.Max(v, -vc1), vc1);
            v.Store(y + i);
        }
        for (; i < len; i++)
        {
            float v = r[i] * d;
            if (noise != null) v += _strength * noise[i];
            v += bias;
            v = (v < 0 ? v * _slope : v) * _gain;
            if (clamp) v = Math.Clamp(v, -_clamp, _clamp);
            y[i] = v;
        }
    }

    /// <summary>gpre = gy·Gain·act'(pre)·[|act(pre)·Gain| ≤ Clamp] for i &lt; len; writes gr = d·gpre (gr may alias gy or r)
    /// and adds Σ gpre·r, Σ gpre, Σ gpre·noise to the row sums (float partial sums per block, double across blocks).</summary>
    public void Backward(float* gy, float* r, float* gr, int len, float d, float bias, float* noise,
        ref double sumR, ref double sumOne, ref double sumNoise)
    {
        const int Block = 1024;
        int vc = Vector<float>.Count;
        var vd = new Vector<float>(d); var vb = new Vector<float>(bias); var vs = new Vector<float>(_strength);
        var vslope = new Vector<float>(_slope); var vg = new Vector<float>(_gain); var vc1 = new Vector<float>(_clamp);
        var vgs = new Vector<float>(_gain * _slope);
        bool clamp = _clamp > 0;
        for (int b0 = 0; b0 < len; b0 += Block)
        {
            int b1 = Math.Min(len, b0 + Block), i = b0;
            var ar = Vector<float>.Zero; var a1 = Vector<float>.Zero; var an = Vector<float>.Zero;
            for (; i + vc <= b1; i += vc)
            {
                var rv = Vector.Load(r + i);
                var pre = rv * vd;
                var nv = noise != null ? Vector.Load(noise + i) : Vector<float>.Zero;
                if (noise != null) pre += vs * nv;
                pre += vb;
                var neg = Vector.LessThan(pre, Vector<float>.Zero);
                var gpre = Vector.Load(gy + i) * Vector.ConditionalSelect(neg, vgs, vg);
                if (clamp)
                {
                    var act = Vector.ConditionalSelect(neg, pre * vslope, pre) * vg;
                    gpre = Vector.ConditionalSelect(Vector.GreaterThan(Vector.Abs(act), vc1), Vector<float>.Zero, gpre);
                }
                (gpre * vd).Store(gr + i);
                ar += gpre * rv; a1 += gpre; an += gpre * nv;
            }
            double sr = Vector.Sum(ar), s1 = Vector.Sum(a1), sn = Vector.Sum(an);
            for (; i < b1; i++)
            {
                float rv = r[i], nv = noise != null ? noise[i] : 0f;
                float pre = rv * d;
                if (noise != null) pre += _strength * nv;
                pre += bias;
                float gpre = gy[i] * (pre < 0 ? _gain * _slope : _gain);
                if (clamp && Math.Abs((pre < 0 ? pre * _slope : pre) * _gain) > _clamp) gpre = 0f;
                gr[i] = d * gpre;
                sr += gpre * rv; s1 += gpre; sn += gpre * nv;
            }
            sumR += sr; sumOne += s1; sumNoise += sn;
        }
    }
}

/// <summary>The LoRA hidden u[n] = A[index[n]] ⊛ xs[n] as side rows of the conv GEMM (same packed im2col panels): stores
/// each finished column range into Hidden [N, Q, P].</summary>
internal sealed unsafe class LoraHiddenRows : GemmSideRows
{
    public required float* Hidden { get; init; }
    public required long Pixels { get; init; }

    public override void Store(int batch, int n0, int nLen, float* rows, long ld)
    {
        for (int j = 0; j < M; j++)
            new ReadOnlySpan<float>(rows + j * ld, nLen).CopyTo(new Span<float>(Hidden + (batch * (long)M + j) * Pixels + n0, nLen));
    }
}

/// <summary>
/// The plain modulated conv's fused finish, applied by the GEMM driver to each finished strip of raw (or y) rows o of
/// sample n: adds LoraScale·B[index[n]]·u[n] (when Rank &gt; 0; u is the GEMM's side rows), then writes the epilogue to y
/// (when y is given).
/// </summary>
internal sealed unsafe class FusedModConvEpilogue : GemmEpilogue
{
    public required ModConvGeometry G { get; init; }
    public required ModConvEpilogueRow Row { get; init; }
    /// <summary>Stacked B [Adapters, O, Q] and adapter indices [N] (unused when Rank = 0).</summary>
    public float* LoraB { get; init; }
    public int* Index { get; init; }
    /// <summary>Final output [N, O, P], or null for raw only; demodulation [N, O], bias [O] and noise may be null.</summary>
    public float* Y { get; init; }
    public float* Demod { get; init; }
    public float* Bias { get; init; }
    public float* Noise { get; init; }

    public override void Apply(int batch, int m0, int mLen, int n0, int nLen, float* c, long ldc, float* side, long ldSide)
    {
        var g = G;
        long p = (long)g.H * g.W;
        int q = g.Rank;
        float* noise = Noise == null ? null : Noise + (g.Noise == ModConvNoise.PerSample ? batch * p : 0) + n0;
        for (int r = 0; r < mLen; r++)
        {
            int o = m0 + r;
            long row = (long)batch * g.O + o;
            float* crow = c + r * ldc;
            if (q > 0)
            {
                float* b = LoraB + ((long)Index[batch] * g.O + o) * q;
                for (int j = 0; j < q; j++) CpuVectorOps.AddScaled(crow, side + j * ldSide, nLen, g.LoraScale * b[j]);
            }
            if (Y != null)
                Row.Forward(crow, Y + row * p + n0, nLen, Demod == null ? 1f : Demod[row], Bias == null ? 0f : Bias[o], noise);
        }
    }
}
