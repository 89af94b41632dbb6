// The launch limits every ILGPU launch is planned against (CUDA's, the strictest of the devices we target):
// grid Y and Z at most 65,535 groups, and element counts small enough that a kernel's int32 grid-stride loop
// (t += step) can never wrap. Checked on the host before each launch; the counting backend asserts the same.
namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Device launch limits shared by the ILGPU backend, its launch plans and the counting backend.</summary>
public static class DeviceLimits
{
    /// <summary>Largest grid dimension in Y and Z (CUDA).</summary>
    public const int MaxGridYZ = 65535;

    /// <summary>Largest grid dimension in X (CUDA: 2³¹ − 1).</summary>
    public const long MaxGridX = int.MaxValue;

    /// <summary>Most elements one launch may index: int32, less headroom for the largest grid-stride step (2²⁴).</summary>
    public const long MaxLinearCount = int.MaxValue - (1L << 24);

    /// <summary>Throws when <paramref name="count"/> elements cannot be indexed by one kernel launch.</summary>
    public static int CheckedCount(long count, string what)
    {
        if (count < 0 || count > MaxLinearCount)
            throw new NotSupportedException($"{what}: {count:N0} elements exceed the {MaxLinearCount:N0} one kernel launch can index (int32)");
        return (int)count;
    }
}
