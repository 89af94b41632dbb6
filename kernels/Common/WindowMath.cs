// Index math for sliding windows (convolution, pooling): which outputs' windows cover one input
// position. Shared by the col2im gather and the pooling-gradient gathers so none needs atomics.
namespace My3DGen.Kernels;

/// <summary>Helpers for 1-D sliding windows: output o covers inputs [o·stride − pad, o·stride − pad + k).</summary>
internal static class WindowMath
{
    /// <summary>First output index whose window covers input <paramref name="i"/>.</summary>
    public static int FirstOutput(int i, int k, int stride, int pad)
    {
        int lo = i + pad - k + 1;
        return lo <= 0 ? 0 : (lo + stride - 1) / stride;
    }

    /// <summary>Last output index (inclusive) whose window covers input <paramref name="i"/>, clipped to outLength − 1.</summary>
    public static int LastOutput(int i, int stride, int pad, int outLength)
    {
        int hi = (i + pad) / stride;
        return hi < outLength - 1 ? hi : outLength - 1;
    }
}
