// The one rule for GPU-only tests, shared (as a linked source file) by every test project: without a device they
// report Ignored with the underlying creation error, unless MY3DGEN_REQUIRE_GPU=1, which turns that into a failure
// (what a session on a GPU machine sets, so a broken driver or context cannot pass as "no GPU").
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Tests.Shared;

internal static class GpuTestGate
{
    /// <summary>Environment variable that makes a missing GPU a test failure.</summary>
    public const string RequireVariable = "MY3DGEN_REQUIRE_GPU";

    /// <summary>True when MY3DGEN_REQUIRE_GPU=1.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Returns <paramref name="device"/>; when it is null, fails (GPU required) or reports Ignored, naming why.</summary>
    public static T Require<T>(T? device, string what = "CUDA device") where T : class
    {
        if (device != null) return device;
        string why = $"no {what}: {IlgpuBackend.LastCreateError ?? "not found"}";
        if (Required) Assert.Fail($"{why} ({RequireVariable}=1)");
        Assert.Ignore(why);
        return null!;
    }
}
