// The modulated-conv op (the kernel family of IBackend.ModConv.cs with autograd): y = epilogue(d ⊙ (W ⊛ (s⊙x) +
// LoRA(s⊙x))) for plain layers in one kernel, and for EG3D's ×2 up layers the stride-2 transposed conv, its [1,3,3,1] FIR
// and the epilogue. Per-sample low-rank adapters come from a stack selected by an index per sample; ΔW is never formed.
// Forward and backward are side by side; the demodulation coefficients d are an input (computed by the caller with
// ordinary tensor ops, which carries their gradient on to the styles and the factors).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;

namespace My3DGen.Engine.Ops;

/// <summary>A stack of low-rank adapters for <see cref="ModulatedConvolution"/>: A [R, Q, I, K, K], B [R, O, Q], the adapter
/// of each sample and the scaling α/r. The raw weight's delta of adapter a is Scale·B[a]·A[a] (never formed).</summary>
public sealed class ModConvAdapters
{
    /// <summary>Stacked down-projections [R, Q, I, K, K].</summary>
    public Tensor A { get; }
    /// <summary>Stacked up-projections [R, O, Q].</summary>
    public Tensor B { get; }
    /// <summary>Adapter of each sample (host copy, validated).</summary>
    public IReadOnlyList<int> Index { get; }
    /// <summary>The index on the device [N] (Int32).</summary>
    public Tensor IndexTensor { get; }
    /// <summary>α/r.</summary>
    public float Scale { get; }

    /// <summary>Validates the stack against the per-sample index and uploads the index once.</summary>
    public ModConvAdapters(Tensor a, Tensor b, int[] index, float scale)
    {
        const string op = "modulated_conv";
        OpChecks.Rank(op, a, 5, "LoRA A");
        OpChecks.Rank(op, b, 3, "LoRA B");
        if (a.Shape[0] != b.Shape[0] || a.Shape[1] != b.Shape[2])
            throw new ShapeMismatchException(op, $"LoRA A {TensorException.Fmt(a.Shape)} and B {TensorException.Fmt(b.Shape)} do not stack");
        foreach (int i in index)
            if (i < 0 || i >= a.Shape[0]) throw new ShapeMismatchException(op, $"adapter index {i} is outside the stack of {a.Shape[0]}");
        A = a; B = b; Index = index; Scale = scale;
        IndexTensor = UniformIndex(a.Backend, index) ?? Tensor.FromInts(a.Backend, index, index.Length);
    }

    static readonly Dictionary<(Backends.IBackend, int, int), Tensor> Uniform = new();

    /// <summary>A cached device index when every sample uses the same adapter (the single-identity case: no upload per call).</summary>
    static Tensor? UniformIndex(Backends.IBackend backend, int[] index)
    {
        if (index.Length == 0 || index.Any(i => i != index[0])) return null;
        lock (Uniform)
        {
            if (Uniform.TryGetValue((backend, index.Length, index[0]), out var t) && !t.Storage.IsReleased) return t;
            using (GradMode.NoGrad())
            using (var scope = TensorScope.Begin()) t = scope.Forget(Tensor.FromInts(backend, index, index.Length));
            return Uniform[(backend, index.Length, index[0])] = t;
        }
    }
}

/// <summary>The epilogue of <see cref="ModulatedConvolution"/>: y = clamp(act(d·r + strength·noise + bias)·gain, ±clamp).</summary>
/// <param name="Demod">Demodulation coefficients [N, O] (null = 1).</param>
/// <param name="Bias">Bias [O] or null.</param>
/// <param name="Noise">Noise [EH, EW] (shared) or [N, EH, EW] (per sample), or null.</param>
/// <param name="Strength">Noise strength (one value), required with a noise map.</param>
/// <param name="Gain">Gain after the activation.</param>
/// <param name="Slope">Leaky-ReLU slope for negative inputs (1 = linear).</param>
/// <param name="Clamp">Symmetric clamp after the gain (0 = none).</param>
public sealed record ModConvEpilogue(Tensor? Demod, Tensor? Bias, Tensor? Noise, Tensor? Strength, float Gain = 1f, float Slope = 1f, float Clamp = 0f);

/// <summary>Modulated convolution with autograd on the dedicated kernel family.</summary>
public static partial class ModulatedConvolution
{
    /// <summary>Input slots of the recorded node (absent inputs are skipped, their slot is -1).</summary>
    sealed record Slots(int X, int S, int W, int A, int B, int D, int Bias, int Noise, int Strength);

    sealed record ModConvState(ModConvGeometry G, Slots Slot, Tensor R, Tensor? Hidden, ModConvAdapters? Lora);

    /// <summary>y [N, O, H·up, W·up] for x [N, I, H, W], styles [N, I], raw weight [O, I, K, K] (K = 1 or 3; up = 2 needs K = 3),
    /// optional adapters and the epilogue. Differentiable with respect to every tensor input.</summary>
    public static Tensor Forward(Tensor x, Tensor styles, Tensor weight, int up, ModConvAdapters? lora, ModConvEpilogue epilogue)
    {
        const string op = "modulated_conv";
        var be = OpChecks.Float(op, x, styles, weight);
        OpChecks.SameBackend(op, x, styles, weight);
        OpChecks.Rank(op, x, 4, "input");
        OpChecks.Rank(op, styles, 2, "styles");
        OpChecks.Rank(op, weight, 4, "weight");
        int n = x.Shape[0], inC = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = weight.Shape[0], k = weight.Shape[2];
        if (weight.Shape[1] != inC || weight.Shape[3] != k || styles.Shape[0] != n || styles.Shape[1] != inC)
            throw new ShapeMismatchException(op, $"x {TensorException.Fmt(x.Shape)}, weight {TensorException.Fmt(weight.Shape)} and styles {TensorException.Fmt(styles.Shape)} do not match");
        if (lora != null && (lora.A.Shape[2] != inC || lora.A.Shape[3] != k || lora.B.Shape[1] != o || lora.Index.Count != n))
            throw new ShapeMismatchException(op, $"LoRA A {TensorException.Fmt(lora.A.Shape)} / B {TensorException.Fmt(lora.B.Shape)} / {lora.Index.Count} indices do not fit x {TensorException.Fmt(x.Shape)} and weight {TensorException.Fmt(weight.Shape)}");
        var noiseKind = epilogue.Noise == null ? ModConvNoise.None : epilogue.Noise.Rank == 3 ? ModConvNoise.PerSample : ModConvNoise.Shared;
        var g = new ModConvGeometry
        {
            N = n, I = inC, O = o, H = h, W = wd, K = k, Up = up,
            Rank = lora?.A.Shape[1] ?? 0, Adapters = lora?.A.Shape[0] ?? 0, LoraScale = lora?.Scale ?? 0f,
            Gain = epilogue.Gain, Slope = epilogue.Slope, Clamp = epilogue.Clamp, HasBias = epilogue.Bias != null, Noise = noiseKind,
        };
        try { g.Validate(); } catch (ArgumentException e) { throw new ShapeMismatchException(op, e.Message); }
        CheckEpilogue(op, g, epilogue);

        // Inputs in a fixed order; slots remember where each optional one went.
        var inputs = new List<Tensor>();
        int Add(Tensor? t) { if (t == null) return -1; inputs.Add(ShapeOps.Compact(t)); return inputs.Count - 1; }
        var slot = new Slots(Add(x), Add(styles), Add(weight), Add(lora?.A), Add(lora?.B), Add(epilogue.Demod), Add(epilogue.Bias),
            Add(epilogue.Noise), Add(epilogue.Strength));
        Storage? S(int i) => i < 0 ? null : inputs[i].Storage;
        var hidden = lora == null ? null : Tensor.Empty(be, [n, g.Rank, g.OH, g.OW]);
        var loraArgs = lora == null ? null : new ModConvLora(S(slot.A)!, S(slot.B)!, lora.IndexTensor.Storage, hidden!.Storage);
        var epi = new ModConvEpilogueInputs(S(slot.D), S(slot.Bias), S(slot.Noise), S(slot.Strength));
        bool grad = GradMode.IsEnabled && inputs.Any(t => t.RequiresGrad);
        var y = Tensor.Empty(be, [n, o, g.EH, g.EW]);
        Tensor r;
        if (g.EpilogueFusable)
        {
            r = grad ? Tensor.Empty(be, [n, o, g.OH, g.OW]) : null!;
            be.ModConvForward(g, S(slot.X)!, S(slot.S)!, S(slot.W)!, loraArgs, epi, grad ? r.Storage : null, y.Storage);
        }
        else
        {
            var raw = Tensor.Empty(be, [n, o, g.OH, g.OW]);
            be.ModConvForward(g, S(slot.X)!, S(slot.S)!, S(slot.W)!, loraArgs, null, raw.Storage, null);
            r = Tensor.Empty(be, [n, o, g.EH, g.EW]);
            be.Fir2d(UpFir(g), raw.Storage, null, r.Storage);
            be.ModConvEpilogue(g, r.Storage, epi, y.Storage);
        }
        if (grad) Node.Record(y, OpKind.ModulatedConv, [.. inputs], new ModConvState(g, slot, r, hidden, lora));
        return y;
    }

    /// <summary>The up layers' FIR from the (2H+1)² transposed-conv output to 2H×2W (padding 1), over N·O planes.</summary>
    static FirGeometry UpFir(in ModConvGeometry g) => FirGeometry.UpFilter(g.N * g.O, g.O, g.OH, g.OW, g.EH, g.EW, 1);

    internal static Tensor?[] Backward(Node node, Tensor gy)
    {
        var s = node.State<ModConvState>();
        var g = s.G;
        var slot = s.Slot;
        var inp = node.Inputs;
        var be = gy.Backend;
        Storage? S(int i) => i < 0 ? null : inp[i].Storage;
        bool Needs(int i) => i >= 0 && node.NeedsGrad[i];
        var grads = new Tensor?[inp.Length];
        var gyc = ShapeOps.Compact(gy);

        // Epilogue: gr = d·gpre and the per-row sums for d, bias and strength.
        var epi = new ModConvEpilogueInputs(S(slot.D), S(slot.Bias), S(slot.Noise), S(slot.Strength));
        var gr = Tensor.Empty(be, [g.N, g.O, g.EH, g.EW]);
        var gd = Tensor.Empty(be, [g.N, g.O]);
        var gBias = Tensor.Empty(be, [g.N, g.O]);
        var gStrength = Tensor.Empty(be, [g.N, g.O]);
        be.ModConvEpilogueBackward(g, gyc.Storage, s.R.Storage, epi, gr.Storage, gd.Storage, gBias.Storage, gStrength.Storage);
        if (Needs(slot.D)) grads[slot.D] = gd;
        if (Needs(slot.Bias)) grads[slot.Bias] = Reductions.Sum(gBias, [0]);
        if (Needs(slot.Strength)) grads[slot.Strength] = Reductions.Sum(gStrength).Reshape(inp[slot.Strength].Shape);
        if (Needs(slot.Noise))
        {
            // gnoise[(n), p] = strength·Σ_o gpre with gpre = gr / d.
            var gpre = slot.D < 0 ? gr : gr / inp[slot.D].Reshape(g.N, g.O, 1, 1);
            var perSample = Reductions.Sum(gpre, [1]) * inp[slot.Strength].Reshape(1, 1, 1);
            grads[slot.Noise] = g.Noise == ModConvNoise.PerSample ? perSample : Reductions.Sum(perSample, [0]);
        }

        // Through the FIR (up layers) to the raw conv output.
        Tensor graw = gr;
        if (!g.EpilogueFusable)
        {
            graw = Tensor.Empty(be, [g.N, g.O, g.OH, g.OW]);
            be.Fir2d(UpFir(g).Adjoint(), gr.Storage, null, graw.Storage);
        }
        var lora = s.Lora == null ? null : new ModConvLora(S(slot.A)!, S(slot.B)!, s.Lora.IndexTensor.Storage, s.Hidden!.Storage);
        if (Needs(slot.X) || Needs(slot.S))
        {
            var gxs = Tensor.Empty(be, [g.N, g.I, g.H, g.W]);
            be.ModConvBackwardData(g, graw.Storage, S(slot.W)!, lora, gxs.Storage);
            if (Needs(slot.X)) grads[slot.X] = gxs * inp[slot.S].Reshape(g.N, g.I, 1, 1);
            if (Needs(slot.S)) grads[slot.S] = Reductions.Sum((gxs * inp[slot.X]).Reshape(g.N, g.I, g.H * g.W), [2]);
        }
        Tensor? gw = Needs(slot.W) ? Tensor.Zeros(be, inp[slot.W].Shape) : null;
        Tensor? ga = Needs(slot.A) ? Tensor.Zeros(be, inp[slot.A].Shape) : null;
        Tensor? gb = Needs(slot.B) ? Tensor.Zeros(be, inp[slot.B].Shape) : null;
        if (gw != null || ga != null || gb != null)
            be.ModConvBackwardWeights(g, graw.Storage, S(slot.X)!, S(slot.S)!, lora, gw?.Storage, ga?.Storage, gb?.Storage);
        if (gw != null) grads[slot.W] = gw;
        if (ga != null) grads[slot.A] = ga;
        if (gb != null) grads[slot.B] = gb;
        return grads;
    }

    static void CheckEpilogue(string op, in ModConvGeometry g, ModConvEpilogue e)
    {
        if (e.Demod != null && (e.Demod.Rank != 2 || e.Demod.Shape[0] != g.N || e.Demod.Shape[1] != g.O))
            throw new ShapeMismatchException(op, $"demodulation {TensorException.Fmt(e.Demod.Shape)} is not [{g.N},{g.O}]");
        if (e.Bias != null && (e.Bias.Rank != 1 || e.Bias.Shape[0] != g.O))
            throw new ShapeMismatchException(op, $"bias {TensorException.Fmt(e.Bias.Shape)} is not [{g.O}]");
        if (e.Noise != null)
        {
            bool shared = e.Noise.Rank == 2 && e.Noise.Shape[0] == g.EH && e.Noise.Shape[1] == g.EW;
            bool perSample = e.Noise.Rank == 3 && e.Noise.Shape[0] == g.N && e.Noise.Shape[1] == g.EH && e.Noise.Shape[2] == g.EW;
            if (!shared && !perSample)
                throw new ShapeMismatchException(op, $"noise {TensorException.Fmt(e.Noise.Shape)} is neither [{g.EH},{g.EW}] nor [{g.N},{g.EH},{g.EW}]");
            if (e.Strength == null || e.Strength.Numel != 1) throw new ShapeMismatchException(op, "a noise map needs a one-value strength");
        }
    }
}
