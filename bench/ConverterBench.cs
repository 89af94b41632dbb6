// `bench converter`: writes a synthetic EG3D snapshot with the full ffhq512-128 shapes (G, D, G_ema ≈ 400 MB,
// one legacy torch blob per tensor, as training_loop.py writes them), converts G_ema to safetensors and
// reports wall time and peak resident memory against the targets (≤ 10 s, ≤ 1.5 × the input size).
// Options: --dir <folder> (default: temp), --divisor <n> (channel divisor, 1 = full size), --keep.
using System.Diagnostics;
using My3DGen.WeightsConverter;
using My3DGen.WeightsConverter.Testing;

namespace My3DGen.Bench;

public static class ConverterBench
{
    public static void Run(string[] args)
    {
        string dir = BenchArgs.Option(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "my3dgen-converter-bench");
        int divisor = int.Parse(BenchArgs.Option(args, "--divisor") ?? "1");
        bool keep = args.Contains("--keep");
        Directory.CreateDirectory(dir);
        string pkl = Path.Combine(dir, $"synthetic-ffhq512-d{divisor}.pkl"), output = Path.Combine(dir, "synthetic-G_ema.safetensors");
        try
        {
            var gen = Stopwatch.StartNew();
            long size = SyntheticEg3d.Write(pkl, divisor);
            Console.WriteLine($"synthetic snapshot: {size / 1e6:F1} MB written in {gen.Elapsed.TotalSeconds:F1} s ({pkl})");

            GC.Collect();
            ResetPeakRss();
            long rssBefore = ReadStatusKb("VmRSS");
            var sw = Stopwatch.StartNew();
            var result = WeightsConverter.WeightsConverter.Convert(pkl, output);
            double seconds = sw.Elapsed.TotalSeconds;
            long peakKb = ReadStatusKb("VmHWM");
            long peak = peakKb > 0 ? peakKb * 1024 : Process.GetCurrentProcess().PeakWorkingSet64;

            Console.WriteLine($"converted G_ema: {result.TensorCount} tensors, {result.ParameterCount:N0} values, {result.BytesWritten / 1e6:F1} MB");
            Console.WriteLine($"wall time        {seconds:F2} s   (target ≤ 10 s)            {(seconds <= 10 ? "ok" : "SLOW")}");
            Console.WriteLine($"peak resident    {peak / 1e6:F1} MB (before: {rssBefore / 1e3:F1} MB) = {(double)peak / size:F2} × input (target ≤ 1.5 ×) {((double)peak / size <= 1.5 ? "ok" : "HIGH")}");
            Console.WriteLine($"throughput       {size / 1e6 / seconds:F0} MB/s of input");
        }
        finally
        {
            if (!keep) { TryDelete(pkl); TryDelete(output); }
        }
    }


    // Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) so it covers only the conversion.
    static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    static long ReadStatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return 0;
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
