// A StyleGAN2 'skip' SynthesisBlock: conv0 (×2 up, or none for the first block / SynthesisBlockNoUp), conv1,
// and a ToRGB whose output is added to the ×2-upsampled skip image. Shared by the backbone and the SR module.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Synthesis;

/// <summary>One block. The first backbone block (in_channels = 0) starts from the learned const [C,4,4].</summary>
internal sealed class SynthesisBlock
{
    public string Name { get; }
    public int Resolution { get; }
    public Tensor? Const { get; }
    public SynthesisLayer? Conv0 { get; }
    public SynthesisLayer Conv1 { get; }
    public ToRgbLayer ToRgb { get; }
    /// <summary>Whether conv0 and the skip image upsample ×2 (false for SynthesisBlockNoUp).</summary>
    public bool Up { get; }
    /// <summary>Number of w vectors the convs consume (the ToRGB reads the next one without consuming it).</summary>
    public int NumConv => Conv0 == null ? 1 : 2;

    /// <summary>Reads block <paramref name="prefix"/> (e.g. "b64") from <paramref name="store"/>.</summary>
    /// <param name="store">The generator's parameters.</param>
    /// <param name="prefix">State-dict prefix of the block.</param>
    /// <param name="inChannels">0 for the const-input first block.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="wDim">Width of a w vector.</param>
    /// <param name="resolution">Output resolution of the block.</param>
    /// <param name="imgChannels">Channels of the ToRGB output.</param>
    /// <param name="up">Whether the block doubles the resolution.</param>
    /// <param name="convClamp">Clamp of the conv outputs (null: none).</param>
    internal SynthesisBlock(ParameterStore store, string prefix, int inChannels, int outChannels, int wDim, int resolution,
        int imgChannels, bool up, float? convClamp)
    {
        Name = prefix; Resolution = resolution; Up = up;
        if (inChannels == 0) Const = store.Get(prefix + ".const", [outChannels, resolution, resolution]);
        store.Get(prefix + ".resample_filter", [4, 4], ParameterInit.ResampleFilter);
        if (inChannels != 0) Conv0 = new SynthesisLayer(store, prefix + ".conv0", inChannels, outChannels, wDim, resolution, up ? 2 : 1, convClamp);
        Conv1 = new SynthesisLayer(store, prefix + ".conv1", outChannels, outChannels, wDim, resolution, 1, convClamp);
        ToRgb = new ToRgbLayer(store, prefix + ".torgb", outChannels, imgChannels, wDim, convClamp);
    }

    /// <summary>x [N,I,h,h] (ignored for the const block), img [N,C,h,h] or null, ws [N, NumConv+1, w_dim] → (x, img) at this resolution.</summary>
    public (Tensor X, Tensor Img) Forward(Tensor? x, Tensor? img, Tensor ws, NoiseSettings noise)
    {
        int n = ws.Shape[0];
        Tensor W(int i) => ws.Slice(1, i, 1).Reshape(n, ws.Shape[2]);
        int wi = 0;
        if (Const != null) x = Const.Unsqueeze(0).Expand(n, Const.Shape[0], Resolution, Resolution);
        else x = Conv0!.Forward(x ?? throw new ArgumentNullException(nameof(x)), W(wi++), noise);
        x = Conv1.Forward(x, W(wi++), noise);
        if (img != null && Up) img = Upsample2d.Forward(img);
        var y = ToRgb.Forward(x, W(wi));
        return (x, img == null ? y : img + y);
    }
}
