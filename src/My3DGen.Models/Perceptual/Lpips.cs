// LPIPS v0.1 perceptual distance (Zhang et al. 2018) on the engine's differentiable ops: scaling layer,
// frozen AlexNet/VGG16 features, channel unit-normalisation, squared differences weighted by the
// non-negative lin vectors, spatial mean, sum over layers. Gradients flow to the input images.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;

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
    /// <summary>The backend the weights live on.</summary>
    public IBackend Backend { get; }
    readonly TorchvisionFeatures _features;
    readonly Tensor[] _lin;
    readonly Tensor _shift, _invScale;

    Lpips(LpipsNet net, IBackend backend, Func<string, int[], Tensor> weight, bool isRandom)
    {
        Net = net; IsRandom = isRandom; Backend = backend;
        _features = new TorchvisionFeatures(net, weight);
        _lin = LpipsBackbone.TapChannels(net).Select((c, k) => weight($"lin{k}.model.1.weight", [1, c, 1, 1]).Reshape(1, c, 1, 1)).ToArray();
        _shift = Tensor.FromArray(backend, Shift, 1, 3, 1, 1);
        _invScale = Tensor.FromArray(backend, Scale.Select(v => 1f / v).ToArray(), 1, 3, 1, 1);
    }

    /// <summary>Loads the backbone (`features.{i}.weight/bias`, converted torchvision file) and the lin layers
    /// (`lin{k}.model.1.weight`, converted LPIPS file). Both may be the same file.</summary>
    public static Lpips Load(LpipsNet net, string backbonePath, string linPath, IBackend backend)
    {
        using var reader = new StateDictReader(backend, $"LPIPS-{net.ToString().ToLowerInvariant()}", backbonePath, linPath);
        return new Lpips(net, backend, reader.Get, isRandom: false);
    }

    /// <summary>Random weights of the right shapes from <see cref="HashUniform"/> (uniform ±sqrt(6/fan_in) convs,
    /// ±0.05 biases, lin in [0, 0.1)), tensor k of the state-dict order drawing stream seed·1000 + k. Useful for
    /// tests and the offline demo; distances are then not perceptually meaningful.</summary>
    public static Lpips CreateRandom(LpipsNet net, int seed, IBackend backend)
    {
        var draw = new HashWeights(backend, seed);
        Tensor Make(string name, int[] shape) => name.StartsWith("lin", StringComparison.Ordinal) ? draw.Next(shape, 0.0, 0.1)
            : name.EndsWith(".bias", StringComparison.Ordinal) ? draw.Next(shape, -0.05, 0.05)
            : draw.Next(shape, -HashWeights.HeBound(shape), HashWeights.HeBound(shape));
        return new Lpips(net, backend, Make, isRandom: true);
    }

    /// <summary>Tensors by their state-dict names (for saving random weights or inspecting).</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedTensors()
    {
        foreach (var t in _features.NamedTensors()) yield return t;
        for (int k = 0; k < _lin.Length; k++) yield return ($"lin{k}.model.1.weight", _lin[k]);
    }

    /// <summary>LPIPS(x, y) per sample: x, y [N,3,H,W] in [-1,1] → [N]. Differentiable w.r.t. x and y.</summary>
    public Tensor Distance(Tensor x, Tensor y)
    {
        if (x.Rank != 4 || x.Shape[1] != 3 || !x.Shape.SequenceEqual(y.Shape))
            throw new ShapeMismatchException("lpips", $"expects two [N,3,H,W] images of equal shape, got [{string.Join(",", x.Shape)}] and [{string.Join(",", y.Shape)}]");
        int n = x.Shape[0];
        Tensor? total = null;
        int tap = 0;
        foreach (var h in _features.Taps(Scaled(ShapeOps.Concat([x, y], 0))))
        {
            var f = UnitNormalize(h);
            var layer = TapDistance(f.Slice(0, 0, n), f.Slice(0, n, n), tap++);
            total = total == null ? layer : total + layer;
        }
        return total!;
    }

    /// <summary>The channel-unit-normalised tapped features of images x [N,3,H,W] in [-1,1], one tensor per tap:
    /// cache them to compare many pairs with <see cref="DistanceFromFeatures"/> (e.g. the diversity metric).</summary>
    public Tensor[] Features(Tensor x) => _features.Taps(Scaled(x)).Select(UnitNormalize).ToArray();

    /// <summary>LPIPS between cached features: a [Na,...] taps against b [Nb,...] taps (Nb = Na or 1, broadcast) → [Na].</summary>
    public Tensor DistanceFromFeatures(Tensor[] a, Tensor[] b)
    {
        Tensor? total = null;
        for (int k = 0; k < a.Length; k++)
        {
            var layer = TapDistance(a[k], b[k], k);
            total = total == null ? layer : total + layer;
        }
        return total!;
    }

    Tensor Scaled(Tensor x) => (x - _shift) * _invScale;

    static Tensor UnitNormalize(Tensor h) => h / (h.Square().Sum([1], keepDim: true).Sqrt() + 1e-10f);

    Tensor TapDistance(Tensor fa, Tensor fb, int tap) => ((fa - fb).Square() * _lin[tap]).Sum([1]).Mean([1, 2]);

    /// <summary>Releases the weight tensors.</summary>
    public void Dispose()
    {
        _features.Dispose();
        foreach (var l in _lin) l.Dispose();
        _shift.Dispose(); _invScale.Dispose();
    }
}
