// The EG3D generator configuration (G.init_kwargs + rendering_kwargs + neural_rendering_resolution),
// parsed from the converter's safetensors metadata, plus the derived tables (channels per block, ws count).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using My3DGen.Models.SuperResolution;

namespace My3DGen.Models.Eg3d;

/// <summary>Volume-rendering settings (EG3D rendering_kwargs).</summary>
public sealed record RenderingConfig
{
    /// <summary>Coarse samples per ray (uniform in depth, jittered when training).</summary>
    public int DepthResolution { get; init; } = 48;
    /// <summary>Fine (importance) samples per ray; 0 renders coarse only.</summary>
    public int DepthResolutionImportance { get; init; } = 48;
    /// <summary>Near bound of every ray, in world units from the camera.</summary>
    public float RayStart { get; init; } = 2.25f;
    /// <summary>Far bound of every ray, in world units.</summary>
    public float RayEnd { get; init; } = 3.3f;
    /// <summary>Side of the cube (world units, centred at the origin) that the tri-planes span.</summary>
    public float BoxWarp { get; init; } = 1f;
    /// <summary>Density activation: "softplus" (EG3D's).</summary>
    public string ClampMode { get; init; } = "softplus";
    /// <summary>Composite over white instead of black.</summary>
    public bool WhiteBack { get; init; }
    /// <summary>Sample uniformly in disparity instead of depth (off in EG3D's FFHQ models).</summary>
    public bool DisparitySpaceSampling { get; init; }
    /// <summary>Scale of the conditioning camera label fed to the mapping network.</summary>
    public float CScale { get; init; } = 1f;
    /// <summary>Condition the mapping network on a zero camera (EG3D's c_gen_conditioning_zero).</summary>
    public bool CGenConditioningZero { get; init; }
    /// <summary>Learning-rate multiplier of the decoder's equalized-lr layers (scales their weight gain).</summary>
    public float DecoderLrMul { get; init; } = 1f;
    /// <summary>EG3D's super-resolution class name (selects <see cref="SuperResolutionKind"/>).</summary>
    public string SuperresolutionModule { get; init; } = "training.superresolution.SuperresolutionHybrid8XDC";
    /// <summary>Noise of the super-resolution layers: "none", "const" or "random".</summary>
    public string SuperresolutionNoiseMode { get; init; } = "none";
    /// <summary>Antialias when resizing the raw image to the super-resolution input.</summary>
    public bool SrAntialias { get; init; } = true;
    /// <summary>Distance of the average camera from the pivot (world units).</summary>
    public float AvgCameraRadius { get; init; } = 2.7f;
    /// <summary>Point the average camera looks at (x, y, z world units).</summary>
    public float[] AvgCameraPivot { get; init; } = [0f, 0f, 0.2f];
}

/// <summary>Constructor arguments of an EG3D TriPlaneGenerator and the values derived from them.</summary>
public sealed record Eg3dConfig
{
    /// <summary>Length of the latent z.</summary>
    public int ZDim { get; init; } = 512;
    /// <summary>Length of one w vector.</summary>
    public int WDim { get; init; } = 512;
    /// <summary>Length of the camera conditioning label (25).</summary>
    public int CDim { get; init; } = 25;
    /// <summary>Final (super-resolved) image size.</summary>
    public int ImgResolution { get; init; } = 512;
    /// <summary>Channels of the final image (3).</summary>
    public int ImgChannels { get; init; } = 3;
    /// <summary>Fully connected layers of the mapping network.</summary>
    public int MappingLayers { get; init; } = 2;
    /// <summary>Backbone channel budget: a block at resolution r has min(ChannelBase / r, ChannelMax) channels.</summary>
    public int ChannelBase { get; init; } = 32768;
    /// <summary>Upper bound of a backbone block's channels.</summary>
    public int ChannelMax { get; init; } = 512;
    /// <summary>Backbone activation clamp (null = none, as in ffhq512-128).</summary>
    public float? ConvClamp { get; init; }
    /// <summary>Ray-marched feature image size R (M = R² rays).</summary>
    public int NeuralRenderingResolution { get; init; } = 128;
    /// <summary>Volume-rendering settings.</summary>
    public RenderingConfig Rendering { get; init; } = new();

    /// <summary>The tri-plane backbone always renders 256² with 3·32 channels.</summary>
    public const int BackboneResolution = 256;
    /// <summary>Feature channels per tri-plane.</summary>
    public const int PlaneChannels = 32;
    /// <summary>Hidden width of the tri-plane decoder.</summary>
    public const int DecoderHidden = 64;
    /// <summary>Activation clamp of the super-resolution layers.</summary>
    public const float SuperResolutionClamp = 256f;

    /// <summary>Backbone block resolutions 4, 8, …, 256.</summary>
    public int[] BlockResolutions => Enumerable.Range(2, (int)Math.Log2(BackboneResolution) - 1).Select(i => 1 << i).ToArray();
    /// <summary>Feature channels of the backbone block at <paramref name="res"/>: min(channel_base/res, channel_max).</summary>
    public int Channels(int res) => Math.Min(ChannelBase / res, ChannelMax);
    /// <summary>Number of w vectors the backbone consumes (14 for a 256² backbone).</summary>
    public int NumWs => 2 * (int)Math.Log2(BackboneResolution) - 2;
    /// <summary>The super-resolution module named by <see cref="RenderingConfig.SuperresolutionModule"/>.</summary>
    public SuperResolutionKind SuperResolution => SuperResolutionSpec.KindOf(Rendering.SuperresolutionModule);

    /// <summary>The released ffhq512-128 configuration (spec §0.1).</summary>
    public static Eg3dConfig Ffhq512 { get; } = new();

    /// <summary>The tiny fixture configuration: 128² output, channel_base 4096, channel_max 32, R 32, depth 12+12, SR 2X.</summary>
    public static Eg3dConfig Tiny { get; } = new()
    {
        ImgResolution = 128, ChannelBase = 4096, ChannelMax = 32, NeuralRenderingResolution = 32,
        Rendering = new RenderingConfig
        {
            DepthResolution = 12, DepthResolutionImportance = 12,
            SuperresolutionModule = "training.superresolution.SuperresolutionHybrid2X",
        },
    };

    /// <summary>Parses the converter's metadata keys init_kwargs, rendering_kwargs and neural_rendering_resolution.</summary>
    /// <exception cref="ModelFormatException">A key is missing or malformed.</exception>
    public static Eg3dConfig FromMetadata(IReadOnlyDictionary<string, string> meta, string path)
    {
        JsonObject init = ParseObject(meta, "init_kwargs", path);
        JsonObject rk = meta.ContainsKey("rendering_kwargs") ? ParseObject(meta, "rendering_kwargs", path)
            : init["rendering_kwargs"] as JsonObject ?? throw new ModelFormatException(path, "metadata has no rendering_kwargs");
        if (!meta.TryGetValue("neural_rendering_resolution", out var nrrText)
            || !int.TryParse(nrrText.Trim().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out int nrr) || nrr <= 0)
            throw new ModelFormatException(path, "metadata key 'neural_rendering_resolution' is missing or not a positive integer");
        var d = new Eg3dConfig();
        var mk = init["mapping_kwargs"] as JsonObject;
        var r = new RenderingConfig();
        var cfg = d with
        {
            ZDim = Int(init, "z_dim", d.ZDim, path), WDim = Int(init, "w_dim", d.WDim, path), CDim = Int(init, "c_dim", d.CDim, path),
            ImgResolution = Int(init, "img_resolution", d.ImgResolution, path), ImgChannels = Int(init, "img_channels", d.ImgChannels, path),
            MappingLayers = mk == null ? d.MappingLayers : Int(mk, "num_layers", d.MappingLayers, path),
            ChannelBase = Int(init, "channel_base", d.ChannelBase, path), ChannelMax = Int(init, "channel_max", d.ChannelMax, path),
            ConvClamp = init["conv_clamp"] is JsonValue v && v.TryGetValue(out double cc) ? (float)cc : null,
            NeuralRenderingResolution = nrr,
            Rendering = r with
            {
                DepthResolution = Int(rk, "depth_resolution", r.DepthResolution, path),
                DepthResolutionImportance = Int(rk, "depth_resolution_importance", r.DepthResolutionImportance, path),
                RayStart = Float(rk, "ray_start", r.RayStart, path), RayEnd = Float(rk, "ray_end", r.RayEnd, path),
                BoxWarp = Float(rk, "box_warp", r.BoxWarp, path),
                ClampMode = Str(rk, "clamp_mode", r.ClampMode), WhiteBack = Bool(rk, "white_back", false),
                DisparitySpaceSampling = Bool(rk, "disparity_space_sampling", false),
                CScale = Float(rk, "c_scale", 0f, path), CGenConditioningZero = Bool(rk, "c_gen_conditioning_zero", false),
                DecoderLrMul = Float(rk, "decoder_lr_mul", 1f, path),
                SuperresolutionModule = Str(rk, "superresolution_module", r.SuperresolutionModule),
                SuperresolutionNoiseMode = Str(rk, "superresolution_noise_mode", r.SuperresolutionNoiseMode),
                SrAntialias = Bool(rk, "sr_antialias", true),
                AvgCameraRadius = Float(rk, "avg_camera_radius", r.AvgCameraRadius, path),
                AvgCameraPivot = rk["avg_camera_pivot"] is JsonArray a && a.Count == 3 ? a.Select(x => (float)x!.GetValue<double>()).ToArray() : r.AvgCameraPivot,
            },
        };
        cfg.Validate(path);
        return cfg;
    }

    /// <summary>The inverse of <see cref="FromMetadata"/>: the three metadata keys (init_kwargs, rendering_kwargs,
    /// neural_rendering_resolution) a safetensors file needs for Eg3dGenerator.Load to rebuild this configuration.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var r = Rendering;
        var init = new JsonObject
        {
            ["z_dim"] = ZDim, ["w_dim"] = WDim, ["c_dim"] = CDim, ["img_resolution"] = ImgResolution, ["img_channels"] = ImgChannels,
            ["mapping_kwargs"] = new JsonObject { ["num_layers"] = MappingLayers },
            ["channel_base"] = ChannelBase, ["channel_max"] = ChannelMax, ["conv_clamp"] = ConvClamp is float c ? JsonValue.Create(c) : null,
        };
        var rk = new JsonObject
        {
            ["depth_resolution"] = r.DepthResolution, ["depth_resolution_importance"] = r.DepthResolutionImportance,
            ["ray_start"] = r.RayStart, ["ray_end"] = r.RayEnd, ["box_warp"] = r.BoxWarp, ["clamp_mode"] = r.ClampMode,
            ["white_back"] = r.WhiteBack, ["disparity_space_sampling"] = r.DisparitySpaceSampling, ["c_scale"] = r.CScale,
            ["c_gen_conditioning_zero"] = r.CGenConditioningZero, ["decoder_lr_mul"] = r.DecoderLrMul,
            ["superresolution_module"] = r.SuperresolutionModule, ["superresolution_noise_mode"] = r.SuperresolutionNoiseMode,
            ["sr_antialias"] = r.SrAntialias, ["avg_camera_radius"] = r.AvgCameraRadius,
            ["avg_camera_pivot"] = new JsonArray(r.AvgCameraPivot.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        };
        return new Dictionary<string, string>
        {
            ["init_kwargs"] = init.ToJsonString(), ["rendering_kwargs"] = rk.ToJsonString(),
            ["neural_rendering_resolution"] = NeuralRenderingResolution.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Checks the values this implementation supports; throws a <see cref="ModelFormatException"/> naming the key.</summary>
    public void Validate(string path)
    {
        if (MappingLayers < 1) throw new ModelFormatException(path, $"mapping_kwargs.num_layers must be ≥ 1, got {MappingLayers}");
        if (ClampModeIsSupported() == false) throw new ModelFormatException(path, $"rendering_kwargs.clamp_mode '{Rendering.ClampMode}' is not supported (only 'softplus')");
        if (Rendering.DisparitySpaceSampling) throw new ModelFormatException(path, "rendering_kwargs.disparity_space_sampling = true is not supported");
        if (Rendering.DepthResolution < 3 || Rendering.DepthResolutionImportance < 0)
            throw new ModelFormatException(path, $"rendering_kwargs.depth_resolution {Rendering.DepthResolution} / depth_resolution_importance {Rendering.DepthResolutionImportance} are out of range");
        _ = SuperResolutionSpec.For(this, path);
    }

    bool ClampModeIsSupported() => Rendering.ClampMode == "softplus";

    static JsonObject ParseObject(IReadOnlyDictionary<string, string> meta, string key, string path)
    {
        if (!meta.TryGetValue(key, out var text)) throw new ModelFormatException(path, $"metadata has no '{key}' (convert the EG3D pickle with the weights converter)");
        try { return JsonNode.Parse(text) as JsonObject ?? throw new ModelFormatException(path, $"metadata '{key}' is not a JSON object"); }
        catch (JsonException e) { throw new ModelFormatException(path, $"metadata '{key}' is not valid JSON: {e.Message}"); }
    }

    static int Int(JsonObject o, string k, int def, string path) => o[k] switch
    {
        null => def,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out double x) && x == Math.Floor(x) => (int)x,
        _ => throw new ModelFormatException(path, $"config key '{k}' is not an integer"),
    };

    static float Float(JsonObject o, string k, float def, string path) => o[k] switch
    {
        null => def,
        JsonValue v when v.TryGetValue(out double x) => (float)x,
        _ => throw new ModelFormatException(path, $"config key '{k}' is not a number"),
    };

    static string Str(JsonObject o, string k, string def) => o[k] is JsonValue v && v.TryGetValue(out string? s) ? s : def;
    static bool Bool(JsonObject o, string k, bool def) => o[k] is JsonValue v && v.TryGetValue(out bool b) ? b : def;
}
