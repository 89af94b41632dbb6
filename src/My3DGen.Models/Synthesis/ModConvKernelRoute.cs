// The synthesis layers' modulated conv on the dedicated kernel family (Engine.Ops.ModulatedConvolution): one op per layer
// with the shared raw weight, the layer's low-rank adapter inside the kernel (no ΔW, no per-sample weights), the
// demodulation as small tensor ops and the epilogue (noise, bias, leaky ReLU, gain, clamp) fused. The composed path
// (ModulatedConv2d / LowRankModulatedConv + separate noise, bias, activation and clamp ops) stays as the reference.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;

namespace My3DGen.Models.Synthesis;

/// <summary>Which implementation the synthesis layers use: the kernel family (default) or the composed tensor ops.</summary>
internal enum ModConvRoute
{
    /// <summary>IBackend.ModConv* kernels, epilogue fused.</summary>
    Kernels,
    /// <summary>Per-sample weights, grouped convs and separate epilogue ops (the reference; the ×2 up form per <see cref="ModulatedConv2d.UpPath"/>).</summary>
    Composed,
}

internal static class ModConvKernelRoute
{
    /// <summary>The route this thread's layers take: <see cref="ModConvRoute.Kernels"/> unless inside <see cref="Use"/>.</summary>
    public static ModConvRoute Current => ThreadChoice<ModConvRoute>.Current(ModConvRoute.Kernels);

    /// <summary>Selects the route on this thread until the returned scope is disposed (reference tests, side-by-side bench).</summary>
    public static IDisposable Use(ModConvRoute route) => ThreadChoice<ModConvRoute>.Use(route);

    /// <summary>One synthesis or ToRGB layer: y = clamp(act(d·conv + strength·noise + bias)·gain) with the adapter's factors in
    /// the kernel when it is low-rank, else its delta added to the raw weight.</summary>
    public static Tensor Forward(Tensor x, Tensor weight, ILayerAdapter? adapter, Tensor styles, bool demodulate, int up,
        Tensor? bias, float gain, float slope, float? clamp, Tensor? noise, Tensor? strength)
    {
        ModConvAdapters? lora = null;
        if (adapter is ILowRankConvAdapter lr)
        {
            int q = lr.A.Shape[0], k = weight.Shape[2];
            lora = new ModConvAdapters(lr.A.Reshape(1, q, weight.Shape[1], k, k), lr.B.Reshape(1, weight.Shape[0], q),
                new int[x.Shape[0]], lr.Scaling);
        }
        else weight = SynthesisLayer.EffectiveRawWeight(weight, adapter);
        var d = demodulate ? DemodulationCoefficients.Compute(weight, styles, lora) : null;
        return ModulatedConvolution.Forward(x, styles, weight, up, lora,
            new ModConvEpilogue(d, bias, noise, noise == null ? null : strength, gain, slope, clamp ?? 0f));
    }
}
