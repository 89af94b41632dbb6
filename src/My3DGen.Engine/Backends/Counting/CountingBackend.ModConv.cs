// Counting backend: the modulated-conv kernel family (IBackend.ModConv.cs). TEMPORARY placeholder while the kernels are
// written (replaced before this work lands).
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Counting;

public sealed partial class CountingBackend
{
    static NotSupportedException Pending() => new("the modulated-conv kernels are being written for this backend");
    /// <inheritdoc/>
    public void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y) => throw Pending();
    /// <inheritdoc/>
    public void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs e, Storage y) => throw Pending();
    /// <inheritdoc/>
    public void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs e, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows) => throw Pending();
    /// <inheritdoc/>
    public void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs) => throw Pending();
    /// <inheritdoc/>
    public void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB) => throw Pending();
}
