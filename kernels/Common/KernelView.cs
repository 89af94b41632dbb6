// A rank-6 strided view (shape, element strides, offset) usable as an ILGPU kernel parameter and by the engine's
// backends alike: the one description of a strided tensor view. Index math lives here once and is shared by the
// copy/binary kernels, their references and the managed CPU backend.
namespace My3DGen.Kernels;

/// <summary>Shape (S0..S5, S5 innermost), element strides (T0..T5, 0 = broadcast) and offset of a view.
/// Unused leading dimensions have size 1 and stride 0.</summary>
public struct KernelView
{
    /// <summary>Number of dimensions a view describes.</summary>
    public const int MaxRank = 6;
    /// <summary>Sizes, outermost (S0) to innermost (S5).</summary>
    public int S0, S1, S2, S3, S4, S5;
    /// <summary>Element strides matching S0..S5 (0 broadcasts).</summary>
    public int T0, T1, T2, T3, T4, T5;
    /// <summary>Element index of the first element.</summary>
    public int Offset;

    /// <summary>A dense row-major view of <paramref name="count"/> elements starting at <paramref name="offset"/>.</summary>
    public static KernelView Dense(int count, int offset = 0) => new()
    {
        S0 = 1, S1 = 1, S2 = 1, S3 = 1, S4 = 1, S5 = count, T5 = 1, Offset = offset,
    };

    /// <summary>The view of <paramref name="shape"/> with <paramref name="strides"/> at <paramref name="offset"/>
    /// (rank ≤ 6; size-1 dimensions get stride 0).</summary>
    public static KernelView Create(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset)
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"rank {shape.Length} exceeds the maximum of {MaxRank}");
        Span<int> s = stackalloc int[MaxRank]; Span<int> t = stackalloc int[MaxRank];
        s.Fill(1); t.Clear();
        int pad = MaxRank - shape.Length;
        for (int i = 0; i < shape.Length; i++) { s[pad + i] = shape[i]; t[pad + i] = shape[i] == 1 ? 0 : strides[i]; }
        return new KernelView
        {
            S0 = s[0], S1 = s[1], S2 = s[2], S3 = s[3], S4 = s[4], S5 = s[5],
            T0 = t[0], T1 = t[1], T2 = t[2], T3 = t[3], T4 = t[4], T5 = t[5],
            Offset = offset,
        };
    }

    /// <summary>True when the view is dense row-major (elements at Offset .. Offset+Count-1 in order).</summary>
    public readonly bool IsContiguous
    {
        get
        {
            int expect = 1;
            ReadOnlySpan<int> s = [S0, S1, S2, S3, S4, S5];
            ReadOnlySpan<int> t = [T0, T1, T2, T3, T4, T5];
            for (int k = MaxRank - 1; k >= 0; k--)
            {
                if (s[k] != 1 && t[k] != expect) return false;
                expect *= s[k];
            }
            return true;
        }
    }

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
