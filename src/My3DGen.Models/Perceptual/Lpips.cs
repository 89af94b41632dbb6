// LPIPS v0.1 perceptual distance (Zhang et al. 2018) on the engine's differentiable ops: scaling layer,
// frozen AlexNet/VGG16 features, channel unit-normalisation, squared differences weighted by the
// non-negative lin vectors, spatial mean, sum over layers. Gradients flow to the input images.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Perceptual;

/// <summary>The LPIPS metric. Weights are frozen tensors on one backend; dispose to release them.</summary>
public sealed class Lpips : IDisposable
{
    static readonly float[] Shift = [-0.030f, -0.088f, -0.188f];
    static readonly float[] Scale = [0.458f, 0.448f, 0.450f];

    /// <summary>The backbone (AlexNet or VGG16).</summary>
    public LpipsNet Net { get; }
    /// <summary>True when the weights are random (for tests and the offline demo), not the released ones.</summary>
    public bool IsRandom { get; }
    readonly IBackend _backend;
    readonly Dictionary<int, (Tensor W, Tensor B)> _convs = new();
    readonly Tensor[] _lin;
    readonly Tensor _shift, _invScale;

    Lpips(LpipsNet net, IBackend backend, Func<string, int[], Tensor> weight, bool isRandom)
    {
        Net = net; _backend = backend; IsRandom = isRandom;
        foreach (var s in LpipsBackbone.Steps(net).OfType<ConvStep>())
            _convs[s.Index] = (weight($"features.{s.Index}.weight", [s.Out, s.In, s.Kernel, s.Kernel]), weight($"features.{s.Index}.bias", [s.Out]));
        _lin = LpipsBackbone.TapChannels(net).Select((c, k) => weight($"lin{k}.model.1.weight", [1, c, 1, 1]).Reshape(1, c, 1, 1)).ToArray();
        _shift = Tensor.FromArray(backend, Shift, 1, 3, 1, 1);
        _invScale = Tensor.FromArray(backend, Scale.Select(v => 1f / v).ToArray(), 1, 3, 1, 1);
    }

    /// <summary>Loads the backbone (`features.{i}.weight/bias`, converted torchvision file) and the lin layers
    /// (`lin{k}.model.1.weight`, converted LPIPS file). Both may be the same file.</summary>
    public static Lpips Load(LpipsNet net, string backbonePath, string linPath, IBackend backend)
    {
        using var bb = SafeTensorsFile.Open(backbonePath);
        using var ln = linPath == backbonePath ? null : SafeTensorsFile.Open(linPath);
        Tensor Get(string name, int[] shape)
        {
            var file = name.StartsWith("lin", StringComparison.Ordinal) ? ln ?? bb : bb;
            if (!file.Contains(name)) throw new FileFormatException(file.Path, $"missing LPIPS tensor '{name}' (expected shape [{string.Join(",", shape)}])");
            var info = file.Info(name);
            if (info.ElementCount != shape.Aggregate(1L, (a, b) => a * b))
                throw new FileFormatException(file.Path, $"tensor '{name}' has shape [{string.Join(",", info.Shape)}], expected [{string.Join(",", shape)}]");
            return Tensor.FromArray(backend, file.ReadFloat32(name), shape);
        }
        return new Lpips(net, backend, Get, isRandom: false);
    }

    /// <summary>Random weights of the right shapes from <see cref="HashUniform"/> (uniform ±sqrt(6/fan_in) convs,
    /// ±0.05 biases, lin in [0, 0.1)), tensor k of the state-dict order drawing stream seed·1000 + k. Useful for
    /// tests and the offline demo; distances are then not perceptually meaningful.</summary>
    public static Lpips CreateRandom(LpipsNet net, int seed, IBackend backend)
    {
        uint ordinal = 0;
        Tensor Make(string name, int[] shape)
        {
            uint stream = (uint)seed * 1000u + ordinal++;
            int count = shape.Aggregate(1, (a, b) => a * b);
            (double lo, double hi) = name.StartsWith("lin", StringComparison.Ordinal) ? (0.0, 0.1)
                : name.EndsWith(".bias", StringComparison.Ordinal) ? (-0.05, 0.05)
                : (-Math.Sqrt(6.0 / (shape[1] * shape[2] * shape[3])), Math.Sqrt(6.0 / (shape[1] * shape[2] * shape[3])));
            return Tensor.FromArray(backend, HashUniform.Fill(stream, count, lo, hi), shape);
        }
        return new Lpips(net, backend, Make, isRandom: true);
    }

    /// <summary>Tensors by their state-dict names (for saving random weights or inspecting).</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedTensors()
    {
        foreach (var (i, (w, b)) in _convs) { yield return ($"features.{i}.weight", w); yield return ($"features.{i}.bias", b); }
        for (int k = 0; k < _lin.Length; k++) yield return ($"lin{k}.model.1.weight", _lin[k]);
    }

    /// <summary>LPIPS(x, y) per sample: x, y [N,3,H,W] in [-1,1] → [N]. Differentiable w.r.t. x and y.</summary>
    public Tensor Distance(Tensor x, Tensor y)
    {
        if (x.Rank != 4 || x.Shape[1] != 3 || !x.Shape.SequenceEqual(y.Shape))
            throw new ShapeMismatchException("lpips", $"expects two [N,3,H,W] images of equal shape, got [{string.Join(",", x.Shape)}] and [{string.Join(",", y.Shape)}]");
        int n = x.Shape[0];
        var h = (ShapeOps.Concat([x, y], 0) - _shift) * _invScale;
        Tensor? total = null;
        int tap = 0;
        foreach (var step in LpipsBackbone.Steps(Net))
        {
            if (step is MaxPoolStep mp) { h = Pooling.MaxPool2d(h, mp.Kernel, mp.Stride); continue; }
            var cs = (ConvStep)step;
            var (w, b) = _convs[cs.Index];
            h = Convolution.Conv2d(h, w, b, cs.Stride, cs.Padding).Relu();
            if (!cs.Tap) continue;
            var norm = h.Square().Sum([1], keepDim: true).Sqrt() + 1e-10f;
            var f = h / norm;
            var d = (f.Slice(0, 0, n) - f.Slice(0, n, n)).Square();
            var layer = (d * _lin[tap++]).Sum([1]).Mean([1, 2]);
            total = total == null ? layer : total + layer;
        }
        return total!;
    }

    /// <summary>Releases the weight tensors.</summary>
    public void Dispose()
    {
        foreach (var (w, b) in _convs.Values) { w.Dispose(); b.Dispose(); }
        foreach (var l in _lin) l.Dispose();
        _shift.Dispose(); _invScale.Dispose();
    }
}
