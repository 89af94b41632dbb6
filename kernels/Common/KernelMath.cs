// Scalar math whose result must not depend on the device: PTX max/min drop a NaN operand (the CPU's
// MathF.Max/Min propagate it) and a tanh written as (e²ˣ−1)/(e²ˣ+1) overflows to NaN for x > ~44. Every
// kernel and operator struct uses these instead of the raw XMath calls, so all backends agree bit for bit on the CPU.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Device-independent max, min and tanh (same results on the managed CPU, the ILGPU CPU accelerator and GPUs).</summary>
internal static class KernelMath
{
    /// <summary>max(x, y); NaN when either is NaN (as MathF.Max).</summary>
    public static float Max(float x, float y) => XMath.IsNaN(x) ? x : XMath.IsNaN(y) ? y : XMath.Max(x, y);

    /// <summary>min(x, y); NaN when either is NaN (as MathF.Min).</summary>
    public static float Min(float x, float y) => XMath.IsNaN(x) ? x : XMath.IsNaN(y) ? y : XMath.Min(x, y);

    /// <summary>|x| beyond which tanh(x) rounds to ±1 in float32 (MathF.Tanh(10) == 1).</summary>
    public const float TanhSaturation = 10f;

    /// <summary>tanh x, exactly ±1 beyond ±<see cref="TanhSaturation"/> so no device formula can overflow; NaN stays NaN.</summary>
    public static float Tanh(float x) => x > TanhSaturation ? 1f : x < -TanhSaturation ? -1f : XMath.Tanh(x);

    /// <summary>x^a with a = 2 as the exact product x·x (a device Pow is exp2(a·log2|x|), off by ulps and slower).</summary>
    public static float PowScalar(float x, float a) => a == 2f ? x * x : a == 1f ? x : XMath.Pow(x, a);
}
