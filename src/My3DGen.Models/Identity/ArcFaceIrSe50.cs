// ArcFace IR-SE50 face-identity network (TreB1eN InsightFace_Pytorch model_ir_se50.pth) for inference: input conv,
// 24 bottleneck_IR_SE units (BN, conv, PReLU, conv, BN, squeeze-excitation; max-pool or conv shortcut), BN, linear
// 25088→512, BN1d and L2 normalisation. BatchNorm runs in eval mode, folded to per-channel scale and shift.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Perceptual;

namespace My3DGen.Models.Identity;

/// <summary>The ArcFace IR-SE50 identity embedder: images → 512-d unit vectors. Dispose to release the weights.</summary>
public sealed class ArcFaceIrSe50 : IDisposable
{
    const double BnEps = 1e-5;
    /// <summary>True when the weights are random (tests, benchmarks), not the released ones.</summary>
    public bool IsRandom { get; }
    /// <summary>The backend the weights live on.</summary>
    public IBackend Backend { get; }
    readonly Dictionary<string, Tensor> _w = new();

    ArcFaceIrSe50(IBackend backend, Func<string, int[], Tensor> weight, bool isRandom)
    {
        Backend = backend; IsRandom = isRandom;
        var raw = ArcFaceLayout.Tensors.ToDictionary(t => t.Name, t => weight(t.Name, t.Shape));
        foreach (var (name, t) in raw)
        {
            if (name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal)) continue;
            string module = name[..name.LastIndexOf('.')];
            if (name.EndsWith(".weight", StringComparison.Ordinal) && raw.ContainsKey(module + ".running_var")) continue;
            if (name.EndsWith(".bias", StringComparison.Ordinal) && raw.ContainsKey(module + ".running_var")) continue;
            _w[name] = t;
        }
        foreach (var module in raw.Keys.Where(k => k.EndsWith(".running_var", StringComparison.Ordinal)).Select(k => k[..k.LastIndexOf('.')]))
            FoldBatchNorm(module, raw);
        foreach (var t in raw.Values) if (!_w.ContainsValue(t)) t.Dispose();
        var lw = _w["output_layer.3.weight"];
        _w["output_layer.3.weightT"] = lw.Transpose(0, 1).Contiguous(forceCopy: true);
        lw.Dispose(); _w.Remove("output_layer.3.weight");
    }

    /// <summary>Eval-mode BN as y = x·scale + shift with scale = γ/√(var+eps), shift = β − mean·scale (computed in double).</summary>
    void FoldBatchNorm(string module, Dictionary<string, Tensor> raw)
    {
        var g = raw[module + ".weight"].ToArray(); var b = raw[module + ".bias"].ToArray();
        var m = raw[module + ".running_mean"].ToArray(); var v = raw[module + ".running_var"].ToArray();
        var scale = new float[g.Length]; var shift = new float[g.Length];
        for (int c = 0; c < g.Length; c++)
        {
            double s = g[c] / Math.Sqrt(v[c] + BnEps);
            scale[c] = (float)s; shift[c] = (float)(b[c] - m[c] * s);
        }
        bool twoD = !module.StartsWith("output_layer.4", StringComparison.Ordinal);
        int[] shape = twoD ? [1, g.Length, 1, 1] : [1, g.Length];
        _w[module + ".scale"] = Tensor.FromArray(Backend, scale, shape);
        _w[module + ".shift"] = Tensor.FromArray(Backend, shift, shape);
    }

    /// <summary>Loads a converted model_ir_se50.pth (`my3dgen convert model_ir_se50.pth -o arcface.safetensors`).</summary>
    public static ArcFaceIrSe50 Load(string path, IBackend backend)
    {
        using var reader = new StateDictReader(backend, "ArcFace IR-SE50", path);
        return new ArcFaceIrSe50(backend, reader.Get, isRandom: false);
    }

    /// <summary>Random weights of the right shapes, tensor k of <see cref="ArcFaceLayout.Tensors"/> drawing HashUniform
    /// stream seed·1000 + k: convs and the linear ±sqrt(6/fan_in)/2, BN γ in [0.5, 1), β and running means ±0.1,
    /// running variances in [0.5, 1.5), PReLU slopes in [0, 0.5). For tests and benchmarks only.</summary>
    public static ArcFaceIrSe50 CreateRandom(int seed, IBackend backend)
    {
        var draw = new HashWeights(backend, seed);
        Tensor Make(string name, int[] shape) => RandomRange(name, shape) is var (lo, hi) ? draw.Next(shape, lo, hi) : throw new InvalidOperationException(name);
        return new ArcFaceIrSe50(backend, Make, isRandom: true);
    }

    internal static (double Lo, double Hi) RandomRange(string name, int[] shape)
    {
        if (name.EndsWith(".running_var", StringComparison.Ordinal)) return (0.5, 1.5);
        if (name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal)) return (-0.1, 0.1);
        if (shape.Length >= 2) { double b = HashWeights.HeBound(shape) / 2; return (-b, b); }
        return name.StartsWith("input_layer.2", StringComparison.Ordinal) || name.EndsWith("res_layer.2.weight", StringComparison.Ordinal) ? (0.0, 0.5) : (0.5, 1.0);
    }

    /// <summary>The network input for images x [N,3,H,W] in [-1,1] (any size): [N,3,112,112].</summary>
    public static Tensor Preprocess(Tensor x, ArcFacePreprocess mode)
    {
        const int s = ArcFaceLayout.InputSize;
        if (mode == ArcFacePreprocess.My3DGen) return Resampling.ResizeArea(x.Clamp(-1f, 1f), s, s);
        var h = x.Shape[2] != 256 ? Resampling.ResizeArea(x, 256, 256) : x;
        return Resampling.ResizeArea(h.Slice(2, 35, 188).Slice(3, 32, 188), s, s);
    }

    /// <summary>Unit embeddings [N,512] of images x [N,3,H,W] in [-1,1], preprocessed by <paramref name="mode"/>.
    /// Runs without autograd.</summary>
    public Tensor Embed(Tensor x, ArcFacePreprocess mode = ArcFacePreprocess.My3DGen)
    {
        if (x.Rank != 4 || x.Shape[1] != 3) throw new ShapeMismatchException("arcface", $"expects [N,3,H,W] images, got [{string.Join(",", x.Shape)}]");
        using var _ = GradMode.NoGrad();
        return InferenceScope.Run(() => Forward(Preprocess(x, mode)));
    }

    /// <summary>Unit embeddings [N,512] of network inputs [N,3,112,112].</summary>
    internal Tensor Forward(Tensor x)
    {
        var h = PRelu(Bn(Conv(x, "input_layer.0", 1, 1), "input_layer.1"), "input_layer.2");
        foreach (var u in ArcFaceLayout.Units) h = InferenceScope.Run(() => Unit(h, u));
        int n = h.Shape[0];
        h = Bn(h, "output_layer.0").Reshape(n, -1);
        h = h.MatMul(_w["output_layer.3.weightT"]) + _w["output_layer.3.bias"];
        h = Bn(h, "output_layer.4");
        return h / h.Square().Sum([1], keepDim: true).Sqrt();
    }

    Tensor Unit(Tensor x, IrSeUnit u)
    {
        string p = $"body.{u.Index}.";
        var shortcut = u.ConvShortcut ? Bn(Conv(x, p + "shortcut_layer.0", u.Stride, 0), p + "shortcut_layer.1") : Pooling.MaxPool2d(x, 1, u.Stride);
        var r = Bn(x, p + "res_layer.0");
        r = PRelu(Conv(r, p + "res_layer.1", 1, 1), p + "res_layer.2");
        r = Bn(Conv(r, p + "res_layer.3", u.Stride, 1), p + "res_layer.4");
        var se = Convolution.Conv2d(r.Mean([2, 3], keepDim: true), _w[p + "res_layer.5.fc1.weight"]).Relu();
        se = Convolution.Conv2d(se, _w[p + "res_layer.5.fc2.weight"]).Sigmoid();
        return r * se + shortcut;
    }

    Tensor Conv(Tensor x, string module, int stride, int padding) => Convolution.Conv2d(x, _w[module + ".weight"], null, stride, padding);
    Tensor Bn(Tensor x, string module) => x * _w[module + ".scale"] + _w[module + ".shift"];
    Tensor PRelu(Tensor x, string module)
    {
        var a = _w[module + ".weight"];
        return x.Relu() - a.Reshape(1, -1, 1, 1) * (-x).Relu();
    }

    /// <summary>Releases the weights.</summary>
    public void Dispose() { foreach (var t in _w.Values) t.Dispose(); }
}
