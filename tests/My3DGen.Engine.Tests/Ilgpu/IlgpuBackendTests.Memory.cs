// Memory checks: buffer-cache reuse, storage ownership and release semantics, device listing.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    [Test]
    public void Cache_ReusesReleasedBuffersOfTheSameBucket()
    {
        B.TrimCache();
        var a = B.Allocate(100);
        Assert.That(B.CachedBytes, Is.Zero);
        a.Release();
        Assert.That(B.CachedBytes, Is.EqualTo(BufferCacheBucket(100) * 4));
        var b = B.Allocate(110);                                       // same 128-element bucket: comes from the cache
        Assert.That(B.CachedBytes, Is.Zero);
        Assert.That(b.Length, Is.EqualTo(110));
        Assert.That(b.IsReleased, Is.False);
        b.Release();
        Assert.That(b.IsReleased, Is.True);
        Assert.Throws<ObjectDisposedException>(() => B.Fill(b, 0, 1, 0f));
        B.TrimCache();
        Assert.That(B.CachedBytes, Is.Zero);
    }

    [TestCase(1, 64)]
    [TestCase(65, 96)]
    [TestCase(96, 96)]
    [TestCase(97, 128)]
    [TestCase(1000, 1024)]
    [TestCase(3000, 3072)]
    public void Cache_BucketSizes(long count, long bucket) => Assert.That(BufferCacheBucket(count), Is.EqualTo(bucket));

    [Test]
    public void Available_ListsThisDeviceKind()
        => Assert.That(IlgpuBackend.Available().Select(d => d.Kind), Does.Contain(B.Kind));

    static long BufferCacheBucket(long count) => BufferCache.BucketFor(count);
}
