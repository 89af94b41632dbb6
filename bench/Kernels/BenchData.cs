// Seeded random inputs for bench rows (values in [-1, 1), so no denormals or overflow skew the timings).
namespace My3DGen.Bench.Kernels;

public static class BenchData
{
    public static float[] Uniform(long n, int seed = 1)
    {
        var rng = new Random(seed);
        var v = GC.AllocateUninitializedArray<float>(checked((int)n));
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextSingle() * 2f - 1f;
        return v;
    }
}
