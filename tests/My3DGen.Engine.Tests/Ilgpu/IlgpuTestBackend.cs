// Shared ILGPU backends for the tests (creating a Context is slow, so each device kind is created once
// per test run and disposed by the assembly-level AssemblyTeardown), plus upload/download/compare helpers.
using System.Runtime.InteropServices;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Engine.Tests.Ilgpu;

/// <summary>Lazily created ILGPU backends shared by every test of the assembly.</summary>
public static class IlgpuTestBackend
{
    static readonly Lazy<IlgpuBackend> _cpu = new(() =>
        IlgpuBackend.TryCreate(BackendKind.IlgpuCpu) ?? throw new InvalidOperationException("ILGPU CPU accelerator unavailable"));
    static readonly Lazy<IlgpuBackend?> _cuda = new(() => IlgpuBackend.TryCreate(BackendKind.Cuda));

    /// <summary>The ILGPU CPU accelerator backend.</summary>
    public static IlgpuBackend Cpu => _cpu.Value;

    /// <summary>The first CUDA device, or null when there is none.</summary>
    public static IlgpuBackend? Cuda => _cuda.Value;

    internal static void DisposeAll()
    {
        if (_cpu.IsValueCreated) _cpu.Value.Dispose();
        if (_cuda.IsValueCreated) _cuda.Value?.Dispose();
    }
}

/// <summary>Host-side helpers: random data, upload/download, tolerance checks that report the max error.</summary>
public static class Dev
{
    public static float[] Rand(int n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float)r.NextDouble();
        return a;
    }

    public static Storage Up(this IBackend b, float[] data)
    {
        var s = b.Allocate(data.Length);
        b.Upload(data, s, 0);
        return s;
    }

    public static Storage UpInts(this IBackend b, int[] data)
    {
        var s = b.Allocate(data.Length);
        b.Upload(MemoryMarshal.Cast<int, float>(data.AsSpan()), s, 0);
        return s;
    }

    public static float[] Down(this IBackend b, Storage s, int n)
    {
        var a = new float[n];
        b.Download(s, 0, a);
        return a;
    }

    public static int[] DownInts(this IBackend b, Storage s, int n) => MemoryMarshal.Cast<float, int>(b.Down(s, n).AsSpan()).ToArray();

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN must match NaN) and returns the max abs error.</summary>
    public static double Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what + ": length");
        double maxErr = 0;
        int worst = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) || float.IsNaN(a))
            {
                Assert.That(float.IsNaN(a) && float.IsNaN(e), $"{what}[{i}]: expected {e}, got {a}");
                continue;
            }
            if (float.IsInfinity(e) || float.IsInfinity(a))
            {
                Assert.That(a, Is.EqualTo(e), $"{what}[{i}]");
                continue;
            }
            double err = Math.Abs((double)a - e);
            if (err > maxErr) maxErr = err;
            if (err > atol + rtol * Math.Abs(e) && worst < 0) worst = i;
        }
        TestContext.Out.WriteLine($"{what}: max abs error {maxErr:E2} over {expected.Length} values");
        if (worst >= 0)
            Assert.Fail($"{what}[{worst}]: expected {expected[worst]}, got {actual[worst]} (rtol {rtol}, atol {atol}); max abs error {maxErr:E2}");
        return maxErr;
    }
}
