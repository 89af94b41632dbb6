// The layouts of EG3D's super-resolution modules (training/superresolution.py): input resolution and the two
// StyleGAN2 blocks (channels, resolution, whether conv0 upsamples). Chosen from rendering_kwargs.superresolution_module.
using My3DGen.Models.Synthesis;
using My3DGen.Models.Eg3d;
namespace My3DGen.Models.SuperResolution;

/// <summary>Which EG3D super-resolution class the generator uses.</summary>
public enum SuperResolutionKind
{
    /// <summary>SuperresolutionHybrid2X (×2).</summary>
    Hybrid2X,
    /// <summary>SuperresolutionHybrid4X (×4).</summary>
    Hybrid4X,
    /// <summary>SuperresolutionHybrid8X (×8).</summary>
    Hybrid8X,
    /// <summary>SuperresolutionHybrid8XDC (×8, more channels; FFHQ 512).</summary>
    Hybrid8XDC,
}

/// <summary>One SR block: in/out channels, output resolution, and whether conv0 upsamples ×2 (SynthesisBlock) or not (SynthesisBlockNoUp).</summary>
internal sealed record SuperResolutionBlockSpec(int InChannels, int OutChannels, int Resolution, bool Up);

/// <summary>The SR module layout: inputs are resized to <see cref="InputResolution"/>, then two blocks run.</summary>
internal sealed record SuperResolutionSpec(SuperResolutionKind Kind, int InputResolution, SuperResolutionBlockSpec[] Blocks)
{
    public static SuperResolutionKind KindOf(string module) => module.Split('.').Last() switch
    {
        "SuperresolutionHybrid2X" => SuperResolutionKind.Hybrid2X,
        "SuperresolutionHybrid4X" => SuperResolutionKind.Hybrid4X,
        "SuperresolutionHybrid8X" => SuperResolutionKind.Hybrid8X,
        "SuperresolutionHybrid8XDC" => SuperResolutionKind.Hybrid8XDC,
        _ => throw new ArgumentException($"unsupported superresolution_module '{module}'"),
    };

    /// <summary>The layout for <paramref name="cfg"/>; checks that it produces cfg.ImgResolution.</summary>
    public static SuperResolutionSpec For(Eg3dConfig cfg, string path)
    {
        SuperResolutionKind kind;
        try { kind = KindOf(cfg.Rendering.SuperresolutionModule); }
        catch (ArgumentException e) { throw new ModelFormatException(path, "rendering_kwargs." + e.Message); }
        const int c = Eg3dConfig.PlaneChannels;
        var spec = kind switch
        {
            SuperResolutionKind.Hybrid2X => new SuperResolutionSpec(kind, 64, [new(c, 128, 64, false), new(128, 64, 128, true)]),
            SuperResolutionKind.Hybrid4X => new SuperResolutionSpec(kind, 128, [new(c, 128, 128, false), new(128, 64, 256, true)]),
            SuperResolutionKind.Hybrid8X => new SuperResolutionSpec(kind, 128, [new(c, 128, 256, true), new(128, 64, 512, true)]),
            _ => new SuperResolutionSpec(kind, 128, [new(c, 256, 256, true), new(256, 128, 512, true)]),
        };
        if (spec.Blocks[^1].Resolution != cfg.ImgResolution)
            throw new ModelFormatException(path, $"{kind} produces {spec.Blocks[^1].Resolution}² images but img_resolution is {cfg.ImgResolution}");
        return spec;
    }
}
