// Mutation fuzzing of the converter: byte flips, interesting values, truncations, insertions and chunk
// copies applied to real fixtures (legacy, zip, TorchScript, LPIPS) and a small synthetic EG3D pickle.
// Every input must convert or fail with a WeightsFormatException; anything else (or a slow case) fails.
// CI runs a few thousand cases with a fixed seed; longer runs: see weights-converter/README.md.
using System.Diagnostics;
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Testing;

namespace My3DGen.WeightsConverter.Tests;

[Category("Fuzz")]
public class FuzzTests
{
    static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    [Test]
    public void MutatedInputsFailOnlyWithTypedErrors()
    {
        int iterations = EnvInt("MY3DGEN_FUZZ_ITERATIONS", 3000);
        int seed = EnvInt("MY3DGEN_FUZZ_SEED", 1234);
        var corpus = Corpus();
        var rng = new Random(seed);
        var total = Stopwatch.StartNew();
        int converted = 0, rejected = 0;
        double slowest = 0;
        for (int it = 0; it < iterations; it++)
        {
            var (name, original) = corpus[rng.Next(corpus.Count)];
            var data = Mutate(original, rng);
            var sw = Stopwatch.StartNew();
            try
            {
                using var src = WeightsSource.FromBytes(data, name);
                foreach (var t in src.Tensors) t.WriteTo(Stream.Null);
                converted++;
            }
            catch (FileFormatException) { rejected++; }
            catch (Exception ex)
            {
                var path = Path.Combine(Path.GetTempPath(), $"fuzz-crash-{seed}-{it}.bin");
                File.WriteAllBytes(path, data);
                Assert.Fail($"iteration {it} ({name}, seed {seed}) threw {ex.GetType().Name}: {ex.Message}; input saved to {path}\n{ex.StackTrace}");
            }
            slowest = Math.Max(slowest, sw.Elapsed.TotalSeconds);
            Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(5), $"iteration {it} ({name}) took {sw.Elapsed.TotalSeconds:F1} s");
        }
        TestContext.Out.WriteLine($"fuzz: {iterations} cases in {total.Elapsed.TotalSeconds:F1} s (seed {seed}): {converted} converted, {rejected} rejected, slowest {slowest * 1000:F0} ms");
    }

    static List<(string, byte[])> Corpus()
    {
        var list = new List<(string, byte[])>();
        foreach (var f in new[] { ("torch", "legacy.pt"), ("torch", "zip.pt"), ("torch", "tiny_script.pt"), ("lpips", "alex.pth") })
            list.Add((f.Item2, File.ReadAllBytes(TestFiles.Fixture(f.Item1, f.Item2))));
        list.Add(("mini-eg3d.pkl", MiniEg3d.Bytes));
        return list;
    }

    static byte[] Mutate(byte[] src, Random rng)
    {
        var d = (byte[])src.Clone();
        int kind = rng.Next(6);
        switch (kind)
        {
            case 0: // flip a few bits
                for (int i = 0, n = 1 + rng.Next(8); i < n; i++) d[rng.Next(d.Length)] ^= (byte)(1 << rng.Next(8));
                return d;
            case 1: // interesting byte values
                byte[] vals = { 0, 0xFF, 0x7F, 0x80, 0x01, 0xFE };
                for (int i = 0, n = 1 + rng.Next(4); i < n; i++) d[rng.Next(d.Length)] = vals[rng.Next(vals.Length)];
                return d;
            case 2: // truncate
                return d[..rng.Next(d.Length)];
            case 3: // interesting 32-bit value (lengths, counts)
                {
                    int at = rng.Next(Math.Max(1, d.Length - 4));
                    uint[] v32 = { 0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x10000, 255 };
                    BitConverter.GetBytes(v32[rng.Next(v32.Length)]).CopyTo(d.AsSpan(at, Math.Min(4, d.Length - at)));
                    return d;
                }
            case 4: // insert random bytes
                {
                    int at = rng.Next(d.Length), n = 1 + rng.Next(16);
                    var ins = new byte[n];
                    rng.NextBytes(ins);
                    return d[..at].Concat(ins).Concat(d[at..]).ToArray();
                }
            default: // copy a chunk over another place
                {
                    int a = rng.Next(d.Length), b = rng.Next(d.Length), n = Math.Min(1 + rng.Next(64), Math.Min(d.Length - a, d.Length - b));
                    Array.Copy(src, a, d, b, n);
                    return d;
                }
        }
    }

    /// <summary>A small EG3D-style snapshot (only the small tensors of the ffhq512 layout, channels / 16).</summary>
    static class MiniEg3d
    {
        public static readonly byte[] Bytes = Make();

        static byte[] Make()
        {
            var path = Path.Combine(Path.GetTempPath(), $"mini-eg3d-{Guid.NewGuid():N}.pkl");
            try
            {
                SyntheticEg3d.Write(path, channelDivisor: 16, maxElements: 600);
                return File.ReadAllBytes(path);
            }
            finally { File.Delete(path); }
        }
    }
}
