// A counter-based uniform generator (a 32-bit integer hash of index and seed) that is trivial to
// reproduce bit-for-bit in NumPy, so random-weight networks can be checked against PyTorch runs
// without storing the weights.
namespace My3DGen.Models.Perceptual;

internal static class HashUniform
{
    /// <summary>u in [0, 1) for element <paramref name="index"/> of stream <paramref name="seed"/>.</summary>
    public static double Unit(uint seed, uint index)
    {
        uint x = unchecked(index * 0x9E3779B9u + seed * 0x85EBCA6Bu + 0x27D4EB2Fu);
        x ^= x >> 16; x = unchecked(x * 0x85EBCA6Bu);
        x ^= x >> 13; x = unchecked(x * 0xC2B2AE35u);
        x ^= x >> 16;
        return x / 4294967296.0;
    }

    /// <summary>count values lo + (hi − lo)·u, computed in double and rounded to float32.</summary>
    public static float[] Fill(uint seed, int count, double lo, double hi)
    {
        var v = new float[count];
        const int chunk = 1 << 18;   // large tensors (ArcFace's 12.8 M-value linear, VGG convs) fill in parallel chunks
        Parallel.For(0, (count + chunk - 1) / chunk, k =>
        {
            for (int i = k * chunk, end = Math.Min(count, i + chunk); i < end; i++) v[i] = (float)(lo + (hi - lo) * Unit(seed, (uint)i));
        });
        return v;
    }
}
