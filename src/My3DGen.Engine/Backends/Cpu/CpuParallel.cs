// Chunked Parallel.For used by the CPU backend's loops: splits [0, count) into ranges of at least
// `grain` items so small problems stay on the calling thread.
namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuParallel
{
    public static void For(long count, long grain, Action<long, long> body)
    {
        if (count <= 0) return;
        int workers = Environment.ProcessorCount;
        long chunks = Math.Min(workers * 4L, Math.Max(1, count / Math.Max(1, grain)));
        if (chunks <= 1) { body(0, count); return; }
        long size = (count + chunks - 1) / chunks;
        Parallel.For(0, (int)chunks, c =>
        {
            long s = c * size, e = Math.Min(count, s + size);
            if (s < e) body(s, e);
        });
    }
}
