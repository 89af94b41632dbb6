// A rank-6 strided view usable as an ILGPU kernel parameter; it mirrors the engine's StridedView
// (same field order and meaning) because this project cannot reference the engine.
// Index math lives here once and is shared by the copy/binary kernels and their references.
namespace My3DGen.Kernels;

/// <summary>Shape (S0..S5, S5 innermost), element strides (T0..T5, 0 = broadcast) and offset of a view.
/// Unused leading dimensions have size 1 and stride 0.</summary>
public struct KernelView
{
    public const int MaxRank = 6;
    public int S0, S1, S2, S3, S4, S5;
    public int T0, T1, T2, T3, T4, T5;
    public int Offset;

    /// <summary>A dense row-major view of <paramref name="count"/> elements starting at <paramref name="offset"/>.</summary>
    public static KernelView Dense(int count, int offset = 0) => new()
    {
        S0 = 1, S1 = 1, S2 = 1, S3 = 1, S4 = 1, S5 = count, T5 = 1, Offset = offset,
    };

    /// <summary>Buffer index of the element at row-major linear position <paramref name="i"/>.</summary>
    public readonly int IndexOf(int i)
    {
        int r = i, idx = Offset;
        int q = r / S5; idx += (r - q * S5) * T5; r = q;
        q = r / S4; idx += (r - q * S4) * T4; r = q;
        q = r / S3; idx += (r - q * S3) * T3; r = q;
        q = r / S2; idx += (r - q * S2) * T2; r = q;
        q = r / S1; idx += (r - q * S1) * T1; r = q;
        return idx + r * T0;
    }

    /// <summary>Number of elements.</summary>
    public readonly int Count => S0 * S1 * S2 * S3 * S4 * S5;
}
