// EG3D's mapping network (StyleGAN2 MappingNetwork with a camera embedding): z and embed(c) are 2nd-moment
// normalised, concatenated, passed through the FC stack, broadcast to num_ws and truncated toward w_avg.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Synthesis;

/// <summary>z [N, z_dim], c [N, 25] → ws [N, num_ws, w_dim].</summary>
internal sealed class MappingNetwork
{
    readonly Eg3dConfig _cfg;
    public FullyConnectedLayer Embed { get; }
    public IReadOnlyList<FullyConnectedLayer> Layers { get; }
    /// <summary>Running mean of w [w_dim] (buffer backbone.mapping.w_avg).</summary>
    public Tensor WAvg { get; }

    internal MappingNetwork(Eg3dConfig cfg, ParameterStore store, string prefix)
    {
        _cfg = cfg;
        WAvg = store.Get(prefix + ".w_avg", [cfg.WDim], ParameterInit.Zeros);
        Embed = FullyConnectedLayer.Load(store, prefix + ".embed", cfg.CDim, cfg.WDim, 1f, FcActivation.Linear);
        var layers = new List<FullyConnectedLayer>();
        for (int i = 0; i < cfg.MappingLayers; i++)
            layers.Add(FullyConnectedLayer.Load(store, $"{prefix}.fc{i}", i == 0 ? cfg.ZDim + cfg.WDim : cfg.WDim, cfg.WDim, 0.01f, FcActivation.LeakyRelu));
        Layers = layers;
    }

    /// <summary>v / √(mean(v²) + 1e-8) along the feature axis of [N, F].</summary>
    public static Tensor Normalize2ndMoment(Tensor v) => v * (v.Square().Mean([1], keepDim: true) + 1e-8f).Rsqrt();

    /// <summary>Intermediate outputs of one mapping pass (for tests): embed(c) before normalisation and every FC output.</summary>
    public sealed record Trace(Tensor Embed, Tensor[] Layers);

    /// <summary>ws [N, num_ws, w_dim]; truncation w_avg + ψ·(w − w_avg) on ws[:, :cutoff] (all when cutoff is null).</summary>
    public Tensor Forward(Tensor z, Tensor c, float psi = 1f, int? cutoff = null, Action<Trace>? trace = null)
    {
        int n = z.Shape[0];
        if (z.Rank != 2 || z.Shape[1] != _cfg.ZDim) throw new ArgumentException($"z: expected [N,{_cfg.ZDim}], got [{string.Join(",", z.Shape)}]", nameof(z));
        Cameras.CameraLabel.Validate(c, n, nameof(c));
        if (_cfg.Rendering.CGenConditioningZero) c = Tensor.Zeros(c.Backend, c.Shape);
        if (_cfg.Rendering.CScale != 1f) c = c * _cfg.Rendering.CScale;
        var e = Embed.Forward(c);
        var x = ShapeOps.Concat([Normalize2ndMoment(z), Normalize2ndMoment(e)], 1);
        var outs = new Tensor[Layers.Count];
        for (int i = 0; i < Layers.Count; i++) outs[i] = x = Layers[i].Forward(x);
        trace?.Invoke(new Trace(e, outs));
        int numWs = _cfg.NumWs;
        var ws = x.Unsqueeze(1).Expand(n, numWs, _cfg.WDim);
        if (psi == 1f) return ws.Contiguous(forceCopy: true);
        int cut = Math.Clamp(cutoff ?? numWs, 0, numWs);
        var avg = WAvg.Reshape(1, 1, _cfg.WDim);
        var truncated = (ws.Slice(1, 0, cut) - avg) * psi + avg;
        return cut == numWs ? truncated : ShapeOps.Concat([truncated, ws.Slice(1, cut, numWs - cut)], 1);
    }
}
