// Counter-based random numbers for kernels: a value is a pure function of (seed, stream, a, b), so the device
// draws the render's jitter and importance u without uploads, identically on every backend and thread layout.
namespace My3DGen.Kernels;

/// <summary>Stateless hash RNG (lowbias32 finaliser chained over the counters).</summary>
internal static class CounterRng
{
    /// <summary>32-bit integer hash with good avalanche (lowbias32).</summary>
    public static uint Mix(uint x)
    {
        x ^= x >> 16; x *= 0x7feb352dU;
        x ^= x >> 15; x *= 0x846ca68bU;
        x ^= x >> 16;
        return x;
    }

    /// <summary>U[0, 1) with 24 random bits for counters (a, b) of <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static float Uniform(uint seed, uint stream, int a, int b)
    {
        uint h = Mix(Mix(Mix(seed ^ (stream * 0x9E3779B9U)) + (uint)a) ^ ((uint)b * 0x85EBCA6BU));
        return (h >> 8) * (1f / 16777216f);
    }
}
