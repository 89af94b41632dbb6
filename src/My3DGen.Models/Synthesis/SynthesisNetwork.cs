// The tri-plane backbone: StyleGAN2 SynthesisNetwork (architecture 'skip') from 4² to 256² with 96 output
// channels; block k reads ws[w_idx : w_idx + num_conv + 1] and advances w_idx by num_conv (spec §3.1).
using My3DGen.Engine.Tensors;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Synthesis;

/// <summary>ws [N, 14, w_dim] → planes image [N, 96, 256, 256].</summary>
internal sealed class SynthesisNetwork
{
    public IReadOnlyList<SynthesisBlock> Blocks { get; }

    internal SynthesisNetwork(Eg3dConfig cfg, ParameterStore store, string prefix)
    {
        var blocks = new List<SynthesisBlock>();
        foreach (int res in cfg.BlockResolutions)
        {
            int inC = res == 4 ? 0 : cfg.Channels(res / 2);
            blocks.Add(new SynthesisBlock(store, $"{prefix}.b{res}", inC, cfg.Channels(res), cfg.WDim, res,
                3 * Eg3dConfig.PlaneChannels, up: res != 4, cfg.ConvClamp));
        }
        Blocks = blocks;
    }

    /// <summary>Runs every block; <paramref name="blockOutput"/> receives (block, x, img) after each block (for tests/inspection).</summary>
    public Tensor Forward(Tensor ws, NoiseSettings noise, Action<SynthesisBlock, Tensor, Tensor>? blockOutput = null)
    {
        Tensor? x = null, img = null;
        int wi = 0;
        foreach (var b in Blocks)
        {
            var wsb = ws.Slice(1, wi, b.NumConv + 1);
            (x, img) = b.Forward(x, img, wsb, noise);
            blockOutput?.Invoke(b, x, img);
            wi += b.NumConv;
        }
        return img!;
    }
}
