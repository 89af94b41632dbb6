// The frozen torchvision `features` stack (AlexNet or VGG16 convs by their `features.{i}` index) run step by step:
// one owner of the backbone weights for LPIPS and DISTS. DISTS swaps each max-pool for its L2 pooling.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Perceptual;

internal sealed class TorchvisionFeatures : IDisposable
{
    readonly Dictionary<int, (Tensor W, Tensor B)> _convs = new();

    /// <summary>The network.</summary>
    public LpipsNet Net { get; }

    /// <summary>Reads `features.{i}.weight/bias` in state-dict order through <paramref name="weight"/>.</summary>
    public TorchvisionFeatures(LpipsNet net, Func<string, int[], Tensor> weight)
    {
        Net = net;
        foreach (var s in LpipsBackbone.Steps(net).OfType<ConvStep>())
            _convs[s.Index] = (weight($"features.{s.Index}.weight", [s.Out, s.In, s.Kernel, s.Kernel]), weight($"features.{s.Index}.bias", [s.Out]));
    }

    /// <summary>The tapped ReLU outputs in order, computed lazily (each is yielded before the next layer runs).
    /// <paramref name="pool"/> replaces the max-pool steps when given (DISTS' L2 pooling).</summary>
    public IEnumerable<Tensor> Taps(Tensor x, Func<Tensor, MaxPoolStep, Tensor>? pool = null)
    {
        var h = x;
        foreach (var step in LpipsBackbone.Steps(Net))
        {
            if (step is MaxPoolStep mp) { h = pool != null ? pool(h, mp) : Pooling.MaxPool2d(h, mp.Kernel, mp.Stride); continue; }
            var cs = (ConvStep)step;
            var (w, b) = _convs[cs.Index];
            h = Convolution.Conv2d(h, w, b, cs.Stride, cs.Padding).Relu();
            if (cs.Tap) yield return h;
        }
    }

    /// <summary>Tensors by their state-dict names.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedTensors()
    {
        foreach (var (i, (w, b)) in _convs) { yield return ($"features.{i}.weight", w); yield return ($"features.{i}.bias", b); }
    }

    /// <summary>Releases the weights.</summary>
    public void Dispose() { foreach (var (w, b) in _convs.Values) { w.Dispose(); b.Dispose(); } }
}
