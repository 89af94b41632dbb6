// CPU backend: the modulated-conv kernel family (IBackend.ModConv.cs). TEMPORARY: routes to ModConvReference while the
// managed SIMD implementation is written (replaced before this work lands).
using System.Runtime.InteropServices;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    static ReadOnlySpan<int> Ints(Storage? s) => s == null ? default : MemoryMarshal.Cast<float, int>(D(s).AsSpan());
    static ReadOnlySpan<float> F(Storage? s) => s == null ? default : D(s).AsSpan();

    /// <inheritdoc/>
    public void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y)
    {
        g.Validate();
        if (lora != null) ModConvReference.Hidden(g, F(x), F(styles), F(lora.A), Ints(lora.Index), D(lora.Hidden));
        var r = raw != null ? D(raw) : new float[g.RawLength];
        ModConvReference.Forward(g, F(x), F(styles), F(weight), F(lora?.B), Ints(lora?.Index), F(lora?.Hidden), r);
        if (y != null)
        {
            var e = epilogue ?? new ModConvEpilogueInputs(null, null, null, null);
            ModConvReference.Epilogue(g, r, F(e.Demod), F(e.Bias), F(e.Noise), e.Strength == null ? 0f : D(e.Strength)[0], D(y));
        }
    }

    /// <inheritdoc/>
    public void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs e, Storage y) =>
        ModConvReference.Epilogue(g, F(r), F(e.Demod), F(e.Bias), F(e.Noise), e.Strength == null ? 0f : D(e.Strength)[0], D(y));

    /// <inheritdoc/>
    public void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs e, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows) =>
        ModConvReference.EpilogueBackward(g, F(gy), F(r), F(e.Demod), F(e.Bias), F(e.Noise), e.Strength == null ? 0f : D(e.Strength)[0],
            D(gr), D(gDemod), D(gBiasRows), D(gStrengthRows));

    /// <inheritdoc/>
    public void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs) =>
        ModConvReference.BackwardData(g, F(graw), F(weight), F(lora?.A), F(lora?.B), Ints(lora?.Index), D(gxs));

    /// <inheritdoc/>
    public void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB) =>
        ModConvReference.BackwardWeights(g, F(graw), F(x), F(styles), F(lora?.B), Ints(lora?.Index), F(lora?.Hidden),
            gWeight == null ? default : D(gWeight), gA == null ? default : D(gA), gB == null ? default : D(gB));
}
