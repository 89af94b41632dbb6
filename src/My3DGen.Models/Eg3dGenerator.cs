// The EG3D tri-plane generator for library users: load from a converted safetensors file (or build with random
// weights), map z → ws, synthesise tri-planes, render them from any camera and super-resolve (spec §7).
// Planes can be cached: SynthesizePlanes once, then Render from many cameras without re-running the backbone.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Rendering;
using My3DGen.Models.SuperResolution;
using My3DGen.Models.Synthesis;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models;

/// <summary>Options of <see cref="Eg3dGenerator.Synthesize"/> and <see cref="Eg3dGenerator.Render"/>.</summary>
public sealed record SynthesisOptions
{
    /// <summary>Backbone noise: Const (EG3D's reproducible mode, default here), Random (seeded by <see cref="Seed"/>) or None.</summary>
    public NoiseMode NoiseMode { get; init; } = NoiseMode.Const;
    /// <summary>No depth jitter and deterministic importance u (the fixture rule, spec §5.6). When false, <see cref="Seed"/> seeds the sampling.</summary>
    public bool Deterministic { get; init; } = true;
    /// <summary>Seed of random noise, depth jitter and random SR noise (sample i of a batch rendered alone uses Seed + i).</summary>
    public int Seed { get; init; }
    /// <summary>Ray-marching resolution R; null = the model's neural_rendering_resolution.</summary>
    public int? NeuralRenderingResolution { get; init; }
    /// <summary>Also return the planes [N,3,32,256,256].</summary>
    public bool ReturnPlanes { get; init; }
    /// <summary>Rays rendered per chunk (bounds memory).</summary>
    public int RaysPerChunk { get; init; } = 2048;
    /// <summary>Render implementation: the device kernels (default) or the composed reference. A trace, or a LoRA adapter on the
    /// decoder, always uses the composed path.</summary>
    public RenderPath RenderPath { get; init; } = RenderPath.Fused;
    /// <summary>With <see cref="NoiseMode.Const"/>: per-layer noise maps (backbone layer name → [1,1,res,res]) used instead of the
    /// stored noise_const buffers of the layers they name (the projector's optimised noise).</summary>
    internal IReadOnlyDictionary<string, Tensor>? NoiseMaps { get; init; }
    /// <summary>Optional stage-by-stage record of the render.</summary>
    internal RenderTrace? Trace { get; init; }
}

/// <summary>Generator outputs: image [N,3,res,res] (≈[−1,1]), image_raw [N,3,R,R], image_depth [N,1,R,R], features [N,32,R,R].</summary>
public sealed record SynthesisResult(Tensor Image, Tensor ImageRaw, Tensor ImageDepth, Tensor FeatureImage, Tensor? Planes);

/// <summary>The EG3D generator. It owns its weight tensors: <see cref="Dispose"/> releases them (and any attached LoRA set).
/// Not thread-safe: one render or training step at a time per instance.</summary>
public sealed class Eg3dGenerator : IDisposable
{
    bool _disposed;
    /// <summary>The architecture (resolutions, channels, rendering settings).</summary>
    public Eg3dConfig Config { get; }
    /// <summary>The device backend holding the weights; inputs must live on it.</summary>
    public IBackend Backend { get; }
    /// <summary>Every tensor by EG3D state-dict name, in state-dict order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; }
    internal MappingNetwork MappingNetwork { get; }
    internal SynthesisNetwork Backbone { get; }
    internal SuperResolutionNetwork SuperResolution { get; }
    internal OsgDecoder Decoder { get; }
    internal ImportanceRenderer Renderer { get; }
    internal FusedRenderer FusedRenderer { get; }
    /// <summary>The LoRA set currently attached (it changes this generator's output until disposed), or null.</summary>
    public Lora.LoraNetwork? AttachedLora { get; internal set; }

    Eg3dGenerator(Eg3dConfig cfg, ParameterStore store)
    {
        Config = cfg; Backend = store.Backend;
        store.Get("dataset_label_std", [cfg.CDim], ParameterInit.Ones, 1f);
        Backbone = new SynthesisNetwork(cfg, store, "backbone.synthesis");
        MappingNetwork = new MappingNetwork(cfg, store, "backbone.mapping");
        SuperResolution = new SuperResolutionNetwork(cfg, store, "superresolution");
        Decoder = new OsgDecoder(cfg, store, "decoder");
        Renderer = new ImportanceRenderer(cfg, Decoder);
        FusedRenderer = new FusedRenderer(cfg, Decoder);
        Tensors = store.All;
    }

    /// <summary>Loads a safetensors file written by the weights converter (EG3D G_ema state dict + config metadata).</summary>
    /// <exception cref="ModelFormatException">Missing/misshapen tensors or unusable metadata; the message names file and tensor.</exception>
    public static Eg3dGenerator Load(string path, IBackend backend)
    {
        using var file = SafeTensorsFile.Open(path);
        var cfg = Eg3dConfig.FromMetadata(file.Metadata, path);
        return new Eg3dGenerator(cfg, new SafeTensorsParameterStore(file, backend));
    }

    /// <summary>A generator of any configuration with seeded random weights (EG3D's init rules; same names and shapes as a real state dict).</summary>
    public static Eg3dGenerator CreateRandom(Eg3dConfig config, int seed, IBackend backend)
    {
        config.Validate("(random)");
        return new Eg3dGenerator(config, new RandomParameterStore(seed, backend));
    }

    /// <summary>ws [N, 14, w_dim] from z [N, z_dim] and conditioning cameras c [N, 25]; truncation ψ on ws[:, :cutoff].</summary>
    public Tensor Mapping(Tensor z, Tensor c, float psi = 1f, int? cutoff = null) => MappingNetwork.Forward(z, c, psi, cutoff);

    /// <summary>Tri-planes [N, 3, 32, 256, 256] from ws [N, 14, w_dim].</summary>
    public Tensor SynthesizePlanes(Tensor ws, SynthesisOptions? options = null)
    {
        options ??= new SynthesisOptions();
        CheckWs(ws);
        var noise = new NoiseSettings(options.NoiseMode, options.NoiseMode == NoiseMode.Random ? new Random(options.Seed) : null, options.NoiseMaps);
        var img = Backbone.Forward(ws, noise);
        return img.Reshape(ws.Shape[0], 3, Eg3dConfig.PlaneChannels, img.Shape[2], img.Shape[3]);
    }

    /// <summary>Renders cached <paramref name="planes"/> [N,3,32,H,W] from <paramref name="camera"/> [N,25] and super-resolves with ws[:, -1].
    /// Without gradient recording a batch is rendered one sample at a time (bounded memory; outputs concatenated).</summary>
    public SynthesisResult Render(Tensor planes, Tensor ws, Tensor camera, SynthesisOptions? options = null)
    {
        options ??= new SynthesisOptions();
        CheckWs(ws);
        int n = ws.Shape[0];
        if (planes.Rank != 5 || planes.Shape[0] != n)
            throw new ArgumentException($"planes: expected [{n},3,32,H,W], got [{string.Join(",", planes.Shape)}]", nameof(planes));
        var labels = CameraLabel.Validate(camera, n, nameof(camera));
        if (PerSample(n, options))
            return Concat(n, options, (i, o) => RenderOne(planes.Slice(0, i, 1), ws.Slice(0, i, 1), labels.AsSpan(i * 25, 25).ToArray(), camera.Slice(0, i, 1), 1, o));
        return RenderOne(planes, ws, labels, camera, n, options);
    }

    SynthesisResult RenderOne(Tensor planes, Tensor ws, float[] labels, Tensor camera, int n, SynthesisOptions options)
    {
        int r = options.NeuralRenderingResolution ?? Config.NeuralRenderingResolution;
        var (features, depth) = RenderPlanes(planes, labels, camera, n, r, options);
        var featureImage = ToImage(features, r);
        var depthImage = ToImage(depth, r);
        var raw = featureImage.Slice(1, 0, 3).Contiguous();
        var image = SuperResolve(raw, featureImage, ws, options.Seed);
        return new SynthesisResult(image, raw, depthImage, featureImage, options.ReturnPlanes ? planes : null);
    }

    /// <summary>The neural render of <paramref name="planes"/>: features [N, R², 32] and depth [N, R², 1] by the chosen path.</summary>
    (Tensor Features, Tensor Depth) RenderPlanes(Tensor planes, float[] labels, Tensor camera, int n, int r, SynthesisOptions options)
    {
        if (options.RenderPath == RenderPath.Fused && options.Trace == null && FusedRenderer.Supports)
        {
            var cam = ReferenceEquals(camera.Backend, planes.Backend) ? camera : Tensor.FromArray(planes.Backend, labels, n, 25);
            return FusedRenderer.Render(planes, cam, r, options.Deterministic ? null : (uint)(options.Seed + 1));
        }
        var rays = RaySampler.Sample(labels, n, r);
        var settings = new RenderSettings(options.Deterministic ? null : new Random(options.Seed + 1), options.RaysPerChunk);
        return Renderer.Render(FlatPlanes.From(planes), rays, settings, options.Trace);
    }

    /// <summary>Per-ray values [N, R·R, C] → an image [N, C, R, R] (rays are row-major pixels).</summary>
    internal static Tensor ToImage(Tensor perRay, int r) =>
        perRay.Permute(0, 2, 1).Reshape(perRay.Shape[0], perRay.Shape[2], r, r);

    /// <summary>The super-resolution stage: <paramref name="raw"/> [N,3,R,R] and <paramref name="featureImage"/> [N,32,R,R] → image,
    /// with the model's SR noise mode ("random" noise is seeded by <paramref name="seed"/> + 2). The one implementation shared by
    /// rendering and the staged training backward.</summary>
    internal Tensor SuperResolve(Tensor raw, Tensor featureImage, Tensor ws, int seed)
    {
        var srNoise = Config.Rendering.SuperresolutionNoiseMode switch
        {
            "const" => NoiseSettings.Const,
            "random" => new NoiseSettings(NoiseMode.Random, new Random(seed + 2)),
            _ => NoiseSettings.None,
        };
        return SuperResolution.Forward(raw, featureImage, ws, srNoise);
    }

    /// <summary>Full synthesis: planes from ws, then <see cref="Render"/>. ws [N,14,w_dim], camera [N,25].
    /// Without gradient recording a batch runs one sample at a time (the fused modulated conv runs per sample anyway),
    /// which bounds peak memory to one sample's intermediates; outputs are concatenated along the batch.</summary>
    public SynthesisResult Synthesize(Tensor ws, Tensor camera, SynthesisOptions? options = null)
    {
        options ??= new SynthesisOptions();
        CheckWs(ws);
        int n = ws.Shape[0];
        var labels = CameraLabel.Validate(camera, n, nameof(camera));
        if (!PerSample(n, options)) return Render(SynthesizePlanes(ws, options), ws, camera, options);
        return Concat(n, options, (i, o) =>
        {
            var wsi = ws.Slice(0, i, 1);
            return RenderOne(SynthesizePlanes(wsi, o), wsi, labels.AsSpan(i * 25, 25).ToArray(), camera.Slice(0, i, 1), 1, o);
        });
    }

    static bool PerSample(int n, SynthesisOptions o) => n > 1 && !GradMode.IsEnabled && o.Trace == null;

    /// <summary>Runs sample i with seed Seed + i and concatenates the outputs along the batch.</summary>
    static SynthesisResult Concat(int n, SynthesisOptions options, Func<int, SynthesisOptions, SynthesisResult> one)
    {
        var parts = Enumerable.Range(0, n).Select(i => one(i, options with { Seed = options.Seed + i })).ToList();
        Tensor Cat(Func<SynthesisResult, Tensor> f) => Engine.Ops.ShapeOps.Concat(parts.Select(f).ToList(), 0);
        return new SynthesisResult(Cat(p => p.Image), Cat(p => p.ImageRaw), Cat(p => p.ImageDepth), Cat(p => p.FeatureImage),
            options.ReturnPlanes ? Cat(p => p.Planes!) : null);
    }

    /// <summary>EG3D sample_mixed: decoder outputs at arbitrary points [N·P·3] (world units) of the planes: (rgb [N,P,32], sigma [N,P,1]).</summary>
    public DecoderOutput SamplePoints(Tensor planes, float[] points)
    {
        int n = planes.Shape[0];
        if (points.Length % (3 * n) != 0) throw new ArgumentException($"points: {points.Length} values are not N·P·3 for N = {n}", nameof(points));
        var features = TriplaneSampler.SampleMean(FlatPlanes.From(planes), points, points.Length / (3 * n), Config.Rendering.BoxWarp);
        return Decoder.Forward(features);
    }

    void CheckWs(Tensor ws)
    {
        if (ws.Rank != 3 || ws.Shape[1] != Config.NumWs || ws.Shape[2] != Config.WDim)
            throw new ArgumentException($"ws: expected [N,{Config.NumWs},{Config.WDim}], got [{string.Join(",", ws.Shape)}]", nameof(ws));
    }

    /// <summary>Removes the attached LoRA sets (stacked ones first) and releases every weight tensor; the generator is unusable afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        while (AttachedLora is { } lora) lora.Dispose();
        foreach (var (_, t) in Tensors) t.Dispose();
    }

    /// <summary>Runs <paramref name="body"/> without recording gradients (inference).</summary>
    public static T Inference<T>(Func<T> body)
    {
        using (GradMode.NoGrad()) return body();
    }
}
