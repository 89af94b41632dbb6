// Short rows against one value per row ([rows, inner] ∘ [rows, 1] with inner < 16, e.g. a 3×3 weight's 9 taps scaled per
// (o, i)): the per-row values are expanded into a block of dense rows (16 rows per 512-bit permute on AVX-512, a plain
// fill otherwise), so the elementwise loop runs once per block instead of once per 9-float row.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuRowExpansion
{
    /// <summary>Rows expanded per block (a multiple of 16).</summary>
    private const int BlockRows = 64;

    /// <summary>Tests set this to run the portable fill on an AVX-512 machine.</summary>
    internal static bool ForcePortable { get; set; }

    /// <summary>
    /// Calls body(firstRow, expanded) for consecutive blocks of rows, where expanded[k] = values[firstRow + k / inner] for
    /// k &lt; rowsInBlock·inner. inner must be in [1, 16).
    /// </summary>
    public static unsafe void ForBlocks(ReadOnlySpan<float> values, int inner, BlockBody body)
    {
        if (inner < 1 || inner >= 16) throw new ArgumentOutOfRangeException(nameof(inner), "Rows must be 1 to 15 floats.");
        Span<float> buffer = stackalloc float[BlockRows * 16];
        bool simd = Avx512F.IsSupported && !ForcePortable;
        var index = stackalloc Vector512<int>[16];   // permute j, lane l: the row (16j + l) / inner of a 16-row group
        var lanes = stackalloc int[16];
        for (int j = 0; j < inner; j++)
        {
            for (int l = 0; l < 16; l++) lanes[l] = (16 * j + l) / inner;
            index[j] = Vector512.Load(lanes);
        }
        for (int start = 0; start < values.Length; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, values.Length - start);
            var dst = buffer[..(rows * inner)];
            int r = 0;
            if (simd)
                fixed (float* pv = values, pd = dst)
                    for (; r + 16 <= rows; r += 16)
                    {
                        var v = Vector512.Load(pv + start + r);
                        float* d = pd + r * inner;
                        for (int j = 0; j < inner; j++) Avx512F.PermuteVar16x32(v, index[j]).Store(d + 16 * j);
                    }
            for (; r < rows; r++) dst.Slice(r * inner, inner).Fill(values[start + r]);
            body(start, dst);
        }
    }

    public delegate void BlockBody(int firstRow, ReadOnlySpan<float> expanded);
}
