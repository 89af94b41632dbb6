// Attaches My3DGen's LoRA adapters to a frozen EG3D generator (every 3×3 conv, ToRGB and style affine of
// the backbone and the super-resolution module; the mapping network stays frozen) and gathers the
// trainable set: LoRA factors, the small vectors My3DGen trains (biases, noise strengths, const) and
// optionally the tri-plane decoder. The generator knows the set attached to it (one at a time, or a new set stacked on a
// merged one, e.g. PTI's tuning adapter on the person's); Detach/Dispose restores the base exactly; Merge folds the
// adapters into the weights.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Lora;

/// <summary>The LoRA adapters of one generator and its trainable tensors. Creating it attaches it: the generator's
/// output changes (by nothing while B = 0) until <see cref="Dispose"/>, which removes the adapters and restores every base
/// tensor it trained in place. A generator carries at most one unmerged set at a time (<see cref="Eg3dGenerator.AttachedLora"/>);
/// a new set may be stacked on a merged one, and detaching the stacked set gives the merged one back unchanged.</summary>
public sealed class LoraNetwork : IDisposable
{
    readonly List<(SynthesisLayer? Conv, ToRgbLayer? Rgb, FullyConnectedLayer? Fc, ILayerAdapter Adapter)> _attached = new();
    readonly TrainedBaseTensors _trainedBase = new();
    TrainedBaseTensors? _premerge;
    readonly LoraNetwork? _below;
    bool _disposed;
    /// <summary>The generator this set is attached to.</summary>
    public Eg3dGenerator Generator { get; }
    /// <summary>Rank, alpha, init seed and fused-path mode of the set.</summary>
    public LoraOptions Options { get; }
    /// <summary>Whether the tri-plane decoder's weights are part of the trainable set.</summary>
    public bool TrainDecoder { get; }
    /// <summary>Whether the adapters are currently folded into the base weights (<see cref="Merge"/>).</summary>
    public bool IsMerged { get; private set; }
    /// <summary>Where the factors are applied without forming ΔW while trained; starts as <see cref="LoraOptions.Fused"/>.
    /// A setting of this generator's adapters only (nothing process-wide).</summary>
    public FusedLoraMode Fused { get; set; }
    /// <summary>Every adapter's factors, in a fixed order.</summary>
    public IReadOnlyList<LoraFactors> Factors { get; }
    /// <summary>Base tensors trained in place (biases, noise strengths, const, and the decoder when enabled), by name.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> TrainedBaseTensors { get; }

    /// <summary>Attaches a fresh set (A seeded by <see cref="LoraOptions.Seed"/>, B = 0) to <paramref name="generator"/>.</summary>
    /// <exception cref="InvalidOptionException">Rank or alpha out of range.</exception>
    /// <exception cref="InvalidOperationException">The generator already carries an unmerged LoRA set.</exception>
    public LoraNetwork(Eg3dGenerator generator, LoraOptions options, bool trainDecoder)
    {
        options.Validate();
        if (generator.AttachedLora is { IsMerged: false })
            throw new InvalidOperationException("the generator already carries an unmerged LoRA set: merge or dispose it before attaching another");
        _below = generator.AttachedLora;
        Generator = generator; Options = options; TrainDecoder = trainDecoder; Fused = options.Fused;
        var rng = new Random(options.Seed);
        var be = generator.Backend;
        var factors = new List<LoraFactors>();
        var vectors = new List<(string, Tensor)>();

        foreach (var block in generator.Backbone.Blocks.Concat(generator.SuperResolution.Blocks))
        {
            if (block.Const != null) vectors.Add((block.Name + ".const", block.Const));
            foreach (var layer in new[] { block.Conv0, block.Conv1 }.OfType<SynthesisLayer>())
            {
                var a = new ConvLoraAdapter(this, layer.Name, be, layer.Weight.Shape, options, rng);
                Attach(layer, null, null, a); factors.Add(a.Factors);
                factors.Add(AttachAffine(layer.Affine, options, rng));
                vectors.Add((layer.Name + ".bias", layer.Bias));
                vectors.Add((layer.Name + ".noise_strength", layer.NoiseStrength));
                vectors.Add((layer.Affine.Name + ".bias", layer.Affine.Bias));
            }
            var rgb = block.ToRgb;
            var ra = new ConvLoraAdapter(this, rgb.Name, be, rgb.Weight.Shape, options, rng);
            Attach(null, rgb, null, ra); factors.Add(ra.Factors);
            factors.Add(AttachAffine(rgb.Affine, options, rng));
            vectors.Add((rgb.Name + ".bias", rgb.Bias));
            vectors.Add((rgb.Affine.Name + ".bias", rgb.Affine.Bias));
        }
        if (trainDecoder)
            foreach (var fc in new[] { generator.Decoder.Hidden, generator.Decoder.Output })
            {
                vectors.Add((fc.Name + ".weight", fc.Weight));
                vectors.Add((fc.Name + ".bias", fc.Bias));
            }
        foreach (var (_, t) in vectors) _trainedBase.Add(t);
        Factors = factors;
        TrainedBaseTensors = vectors;
        generator.AttachedLora = this;
    }

    LoraFactors AttachAffine(FullyConnectedLayer fc, LoraOptions options, Random rng)
    {
        var a = new AffineLoraAdapter(fc.Name, Generator.Backend, fc.InFeatures, fc.OutFeatures, options, rng);
        Attach(null, null, fc, a);
        return a.Factors;
    }

    void Attach(SynthesisLayer? conv, ToRgbLayer? rgb, FullyConnectedLayer? fc, ILayerAdapter adapter)
    {
        if (conv != null) conv.Adapter = adapter;
        if (rgb != null) rgb.Adapter = adapter;
        if (fc != null) fc.Adapter = adapter;
        _attached.Add((conv, rgb, fc, adapter));
    }

    /// <summary>Every tensor the optimiser updates: LoRA A and B, then the trained base tensors.</summary>
    public IEnumerable<Tensor> TrainableTensors() =>
        Factors.SelectMany(f => new[] { f.A, f.B }).Concat(TrainedBaseTensors.Select(v => v.Value));

    /// <summary>Named trainable tensors, as stored in an adapter file.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedTrainables() =>
        Factors.SelectMany(f => new[] { (f.A.Name!, f.A), (f.B.Name!, f.B) }).Concat(TrainedBaseTensors);

    /// <summary>Number of LoRA factor values (all A and B).</summary>
    public long LoraParameterCount => Factors.Sum(f => (long)f.Count);
    /// <summary>Number of trained values: LoRA factors plus the trained base tensors.</summary>
    public long TrainableCount => LoraParameterCount + TrainedBaseTensors.Sum(v => v.Value.Numel);

    /// <summary>Folds every ΔW into its base weight (affines: s·B·A divided by the layer's gain) and removes the
    /// adapters, so inference runs the plain EG3D path at full speed. The weights' previous values are kept (host copies)
    /// so that <see cref="Unmerge"/> restores them exactly.</summary>
    public void Merge()
    {
        if (IsMerged) return;
        using var ng = Engine.Autograd.GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        _premerge = new TrainedBaseTensors();
        foreach (var (conv, rgb, fc, adapter) in _attached)
        {
            var w = conv?.Weight ?? rgb?.Weight ?? fc!.Weight;
            _premerge.Add(w, trainable: false);
            w.AssignFrom(w + Delta(fc, adapter, w));
            SetAdapter(conv, rgb, fc, null);
        }
        IsMerged = true;
    }

    /// <summary>Reverses <see cref="Merge"/>: writes back the weights as they were before it (bit for bit; subtracting the deltas
    /// would leave rounding errors, and an adapter file checks the base model's hash) and re-attaches the adapters.</summary>
    /// <exception cref="InvalidOperationException">Another set is stacked on this one (remove it first).</exception>
    public void Unmerge()
    {
        if (!IsMerged) return;
        if (Generator.AttachedLora != this)
            throw new InvalidOperationException("another LoRA set is stacked on this merged one: dispose the stacked set first");
        _premerge!.Restore();
        _premerge = null;
        foreach (var (conv, rgb, fc, adapter) in _attached) SetAdapter(conv, rgb, fc, adapter);
        IsMerged = false;
    }

    static Tensor Delta(FullyConnectedLayer? fc, ILayerAdapter adapter, Tensor w) => adapter switch
    {
        ConvLoraAdapter c => c.WeightDelta(w)!,
        AffineLoraAdapter a => a.Factors.Product() * (1f / fc!.WeightGain),
        _ => throw new InvalidOperationException("unknown adapter"),
    };

    static void SetAdapter(SynthesisLayer? conv, ToRgbLayer? rgb, FullyConnectedLayer? fc, ILayerAdapter? adapter)
    {
        if (conv != null) conv.Adapter = adapter;
        if (rgb != null) rgb.Adapter = adapter;
        if (fc != null) fc.Adapter = adapter;
    }

    /// <summary>The merged set this one is stacked on, or null.</summary>
    public LoraNetwork? StackedOn => _below;

    /// <summary>Removes the adapters and restores the trained base tensors to their values at attach time (a stacked set
    /// hands the generator back to the set below it).</summary>
    public void Detach()
    {
        if (IsMerged) Unmerge();
        foreach (var (conv, rgb, fc, _) in _attached) SetAdapter(conv, rgb, fc, null);
        _trainedBase.Restore();
        _attached.Clear();
        if (Generator.AttachedLora == this) Generator.AttachedLora = _below;
    }

    /// <summary>Detaches (the generator is the base model again, bit for bit) and frees the factors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Detach();
        foreach (var f in Factors) { f.A.Dispose(); f.B.Dispose(); }
    }
}
