// A seeded SplitMix64 generator whose whole state is one 64-bit number, so a checkpoint can store it and
// a resumed run draws exactly the numbers an uninterrupted run would.
namespace My3DGen.Personalization.Training;

internal sealed class ResumableRandom(ulong state)
{
    /// <summary>The complete generator state (store it to resume).</summary>
    public ulong State { get; set; } = state;

    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)(NextUInt64() % (ulong)n);

    /// <summary>A 31-bit seed for an inner System.Random (e.g. depth jitter of one render).</summary>
    public int NextSeed() => (int)(NextUInt64() >> 33);
}
