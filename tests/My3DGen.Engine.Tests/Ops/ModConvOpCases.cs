// Op cases of the modulated-conv op (Ops.ModulatedConvolution on the IBackend.ModConv kernels): plain 3×3 with two
// stacked adapters picked per sample, EG3D's ×2 up (transposed conv + FIR) with clamp and a shared noise map, and ToRGB's
// 1×1 without demodulation, and a clamped layer, against ModConvReference (+ FirReference). OpCases.All includes them, so forward tests and
// finite-difference gradient checks (x, styles, weight, A, B, d, bias, noise, strength) run on every backend.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ops;

public static class ModConvOpCases
{
    /// <summary>A case's layer: sizes, adapters (index per sample, or none), epilogue flags.</summary>
    public sealed record Layer(int N, int I, int O, int H, int W, int K, int Up, int Q, int[]? Index, bool Demod, bool Bias,
        ModConvNoise Noise, float Gain, float Slope, float Clamp)
    {
        public int R => Index == null ? 0 : Index.Max() + 1;
        public ModConvGeometry Geometry => new()
        {
            N = N, I = I, O = O, H = H, W = W, K = K, Up = Up, Rank = Index == null ? 0 : Q, Adapters = R, LoraScale = 0.7f,
            Gain = Gain, Slope = Slope, Clamp = Clamp, HasBias = Bias, Noise = Noise,
        };

        /// <summary>Input shapes in the op case's order: x, styles, weight, [A, B], [d], [bias], [noise, strength].</summary>
        public int[][] Shapes()
        {
            var g = Geometry;
            var s = new List<int[]> { new[] { N, I, H, W }, new[] { N, I }, new[] { O, I, K, K } };
            if (Index != null) { s.Add([R, Q, I, K, K]); s.Add([R, O, Q]); }
            if (Demod) s.Add([N, O]);
            if (Bias) s.Add([O]);
            if (Noise == ModConvNoise.Shared) { s.Add([g.EH, g.EW]); s.Add([1]); }
            if (Noise == ModConvNoise.PerSample) { s.Add([N, g.EH, g.EW]); s.Add([1]); }
            return s.ToArray();
        }

        public Tensor Forward(Tensor[] t)
        {
            int k = 3;
            ModConvAdapters? lora = null;
            if (Index != null) { lora = new ModConvAdapters(t[k], t[k + 1], Index, 0.7f); k += 2; }
            var d = Demod ? t[k++] : null;
            var bias = Bias ? t[k++] : null;
            Tensor? noise = null, strength = null;
            if (Noise != ModConvNoise.None) { noise = t[k++]; strength = t[k++]; }
            return ModulatedConvolution.Forward(t[0], t[1], t[2], Up, lora, new ModConvEpilogue(d, bias, noise, strength, Gain, Slope, Clamp));
        }

        public RefTensor Reference(RefTensor[] x)
        {
            var g = Geometry;
            float[] F(int i) => x[i].Data.Select(v => (float)v).ToArray();
            int k = 3;
            float[] a = [], b = [];
            if (Index != null) { a = F(k); b = F(k + 1); k += 2; }
            float[] d = Demod ? F(k++) : [], bias = Bias ? F(k++) : [], noise = [];
            float strength = 0;
            if (Noise != ModConvNoise.None) { noise = F(k++); strength = F(k++)[0]; }
            var u = new float[g.HiddenLength];
            if (Index != null) ModConvReference.Hidden(g, F(0), F(1), a, Index, u);
            var raw = new float[g.RawLength];
            ModConvReference.Forward(g, F(0), F(1), F(2), b, Index ?? [], u, raw);
            var r = raw;
            if (Up == 2)
            {
                r = new float[g.OutputLength];
                FirReference.Apply(FirGeometry.UpFilter(N * O, O, g.OH, g.OW, g.EH, g.EW, 1), raw, default, r);
            }
            var y = new float[g.OutputLength];
            ModConvReference.Epilogue(g, r, d, bias, noise, strength, y);
            return new RefTensor([N, O, g.EH, g.EW], y.Select(v => (double)v).ToArray());
        }
    }

    static OpCase Case(string label, Layer l, double tolerance = 2e-5) =>
        new(OpKind.ModulatedConv, label, l.Shapes(), l.Forward, l.Reference, Lo: 0.1, Hi: 1.0, Tolerance: tolerance, GradEps: 1e-3f);

    public static IEnumerable<OpCase> All()
    {
        yield return Case("plain-3x3-two-adapters-per-sample-noise-lrelu",
            new(2, 3, 4, 5, 4, 3, 1, 2, [1, 0], Demod: true, Bias: true, ModConvNoise.PerSample, 1.41421356f, 0.2f, 0f));
        yield return Case("up-3x3-adapter-shared-noise-lrelu",
            new(2, 2, 3, 4, 3, 3, 2, 3, [0, 0], Demod: true, Bias: true, ModConvNoise.Shared, 1.41421356f, 0.2f, 0f));
        // The clamp without noise: a noise strength moves every output at once, so its finite difference would cross a clamp edge.
        yield return Case("plain-3x3-linear-clamp",
            new(1, 3, 3, 4, 5, 3, 1, 0, null, Demod: true, Bias: true, ModConvNoise.None, 1f, 1f, 1.5f));
        yield return Case("torgb-1x1-linear-no-demod",
            new(2, 4, 3, 3, 5, 1, 1, 0, null, Demod: false, Bias: true, ModConvNoise.None, 1f, 1f, 0f));
    }
}
