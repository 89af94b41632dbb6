// Grouped convolutions (the per-sample modulated convs run as one conv with groups = batch) can make one sample's
// im2col matrix larger than int32 can index (8×128×9×512² = 2.4·10⁹ at batch 8 with gradients). The ILGPU backend
// therefore unfolds a sample a few groups at a time; this holds that split and the sub-geometry of one chunk.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Consecutive groups of one sample whose im2col matrix, input and output each fit one launch's int32 range.</summary>
internal readonly record struct ConvGroupChunk(int FirstGroup, int Groups, ConvGeometry Geometry)
{
    /// <summary>Element offset of the chunk's input channels inside one sample of x.</summary>
    public long InputOffset(in ConvGeometry g) => (long)FirstGroup * g.CPerGroup * g.H * g.W;
    /// <summary>Element offset of the chunk's filters inside w.</summary>
    public long WeightOffset(in ConvGeometry g) => (long)FirstGroup * g.OPerGroup * g.CPerGroup * g.KH * g.KW;
    /// <summary>Element offset of the chunk's output channels inside one sample of y.</summary>
    public long OutputOffset(in ConvGeometry g) => (long)FirstGroup * g.OPerGroup * g.OH * g.OW;
}

/// <summary>Splits a convolution's groups into <see cref="ConvGroupChunk"/>s (one chunk when everything fits).</summary>
internal static class ConvGroupChunks
{
    /// <summary>The chunks of one sample of <paramref name="g"/>, each with a single-sample geometry of its groups and at most
    /// <paramref name="maxElements"/> elements in its im2col matrix, input and output.</summary>
    public static List<ConvGroupChunk> Plan(in ConvGeometry g, long maxElements = DeviceLimits.MaxLinearCount)
    {
        long perGroup = Math.Max(Math.Max((long)g.CPerGroup * g.KH * g.KW * g.OH * g.OW, (long)g.CPerGroup * g.H * g.W),
            (long)g.OPerGroup * g.OH * g.OW);
        if (perGroup > maxElements)
            throw new NotSupportedException($"conv2d: one group of {perGroup:N0} elements exceeds the {maxElements:N0} one launch can index (int32)");
        int per = (int)Math.Min(g.Groups, maxElements / perGroup);
        var chunks = new List<ConvGroupChunk>();
        for (int g0 = 0; g0 < g.Groups; g0 += per)
        {
            int gc = Math.Min(per, g.Groups - g0);
            chunks.Add(new ConvGroupChunk(g0, gc, new ConvGeometry(1, g.CPerGroup * gc, g.H, g.W, g.OPerGroup * gc,
                g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW, gc)));
        }
        return chunks;
    }
}
