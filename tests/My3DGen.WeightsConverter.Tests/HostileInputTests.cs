// Truncated, corrupted and malicious inputs: each must fail with a typed error naming the file (and the
// byte offset where known), quickly and without large allocations, and leave no output file behind.
using System.Buffers.Binary;
using My3DGen.WeightsConverter.Testing;

namespace My3DGen.WeightsConverter.Tests;

public class HostileInputTests
{
    string _dir = "";

    [SetUp] public void Setup() => _dir = TestFiles.TempDir();
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    WeightsFormatException Fails(byte[] data, bool expectOffset = true)
    {
        var input = Path.Combine(_dir, "bad.pkl");
        var output = Path.Combine(_dir, "out.safetensors");
        File.WriteAllBytes(input, data);
        var ex = Assert.Throws(Is.InstanceOf<WeightsFormatException>(), () => WeightsConverter.Convert(input, output)) as WeightsFormatException;
        Assert.That(ex!.FilePath, Is.EqualTo(input));
        Assert.That(ex.Message, Does.StartWith(input));
        TestContext.Out.WriteLine(ex.Message);
        if (expectOffset) Assert.That(ex.ByteOffset, Is.Not.Null);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "bad.pkl" }), "no output or temp file may remain");
        return ex;
    }

    static byte[] Pickle(Action<PickleWriter> body)
    {
        using var ms = new MemoryStream();
        var p = new PickleWriter(ms);
        p.Proto(2);
        body(p);
        p.Stop();
        return ms.ToArray();
    }

    [Test]
    public void TruncatedEg3dPickle()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("eg3d", "eg3d-tiny.pkl"));
        var ex = Fails(bytes[..1_000_000]);
        Assert.That(ex.ByteOffset, Is.LessThanOrEqualTo(1_000_000));
    }

    [Test]
    public void TruncatedLegacyTorchFile()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("lpips", "alex.pth"));
        Fails(bytes[..(bytes.Length - 100)]);
    }

    [Test]
    public void TruncatedZipFile()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("torch", "zip.pt"));
        Fails(bytes[..(bytes.Length / 2)]);
    }

    [Test]
    public void WrongMagicNumber()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("lpips", "alex.pth"));
        bytes[5] ^= 0x55; // inside the LONG1 magic
        Assert.That(Fails(bytes).Message, Does.Contain("magic"));
    }

    [Test]
    public void NotAWeightFileAtAll() => Fails("hello, world\n"u8.ToArray());

    [Test]
    public void UnknownGlobalIsNamed()
    {
        var ex = Fails(Pickle(p => p.Global("os", "system").Str("echo pwned").Op(0x85).Reduce()));
        Assert.That(ex, Is.TypeOf<UnknownGlobalException>());
        Assert.That(((UnknownGlobalException)ex).Module, Is.EqualTo("os"));
        Assert.That(ex.Message, Does.Contain("os.system"));
        Assert.That(ex.ByteOffset, Is.EqualTo(2));
    }

    [Test]
    public void DeepNestingIsBounded()
    {
        Fails(Pickle(p =>
        {
            for (int i = 0; i < 100_000; i++) p.EmptyList();
            for (int i = 0; i < 99_999; i++) p.Append();
        }), expectOffset: false);
    }

    [Test]
    public void SharedReferenceBombIsBounded()
    {
        // 40 levels, each a list of 10 references to the previous one: 10^40 paths.
        Fails(Pickle(p =>
        {
            p.EmptyList();
            int prev = p.Memoize();
            for (int level = 0; level < 40; level++)
            {
                p.Op((byte)'0').EmptyList().Mark(); // drop the previous level from the stack (it stays in the memo)
                for (int k = 0; k < 10; k++) p.Get(prev);
                p.Appends();
                prev = p.Memoize();
            }
        }), expectOffset: false);
    }

    [Test]
    public void MemoReuseWorkBombIsBounded()
    {
        // A 5k-pair list rebuilt into an OrderedDict 30k times would be 1.5·10^8 steps.
        Fails(Pickle(p =>
        {
            p.EmptyList().Mark();
            for (int i = 0; i < 5_000; i++) p.Int(i).Int(0).Op(0x86);
            p.Appends();
            int big = p.Memoize();
            p.EmptyList().Mark();
            for (int i = 0; i < 30_000; i++) { p.StackGlobal("collections", "OrderedDict").Get(big).Op(0x85).Reduce(); }
            p.Appends();
        }));
    }

    [Test]
    public void MissingMemoEntry() => Fails(Pickle(p => p.Get(12345)));

    [Test]
    public void BytesLongerThanTheFile()
    {
        var ex = Fails(Pickle(p => p.Op(0x8e).Raw(BitConverter.GetBytes(1L << 40))));
        Assert.That(ex.Message, Does.Contain("exceeds"));
    }

    [Test]
    public void StorageCountLargerThanTheFile()
    {
        var bytes = File.ReadAllBytes(TestFiles.Fixture("lpips", "alex.pth"));
        // The first storage record follows the key-list pickle; its count is 64 (lin0 has 64 channels).
        int at = FindInt64(bytes, 64);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), 1L << 50);
        Fails(bytes);
    }

    [Test]
    public void ViewOutsideItsStorage() =>
        Assert.That(Fails(LegacyFile(numel: 10, shape: new long[] { 100 }, stride: new long[] { 1 }, offset: 0)).Message, Does.Contain("reaches element"));

    [Test]
    public void StrideOverflow() => Fails(LegacyFile(10, new long[] { 3, 3 }, new long[] { long.MaxValue / 2, 1 }, 0));

    [Test]
    public void NegativeOffset() => Fails(LegacyFile(10, new long[] { 2 }, new long[] { 1 }, -1));

    [Test]
    public void DeclaredStorageLargerThanItsData() => Fails(LegacyFile(10, new long[] { 2 }, new long[] { 1 }, 0, dataElements: 5));

    [Test]
    public void ValidHandMadeLegacyFileConverts()
    {
        var input = Path.Combine(_dir, "ok.pt");
        File.WriteAllBytes(input, LegacyFile(10, new long[] { 2, 3 }, new long[] { 1, 2 }, 1));
        using var src = WeightsSource.Open(input);
        Assert.That(src.Tensors.Single().ReadFloat32(), Is.EqualTo(new float[] { 1, 3, 5, 2, 4, 6 }));
    }

    /// <summary>A legacy torch.save of {"t": tensor} over a float storage holding 0, 1, 2, ….</summary>
    static byte[] LegacyFile(long numel, long[] shape, long[] stride, long offset, long? dataElements = null)
    {
        using var ms = new MemoryStream();
        var header = LegacyTorchBlob.Header(numel, "k");
        // Reuse the blob's first three pickles (magic, protocol, sys_info); write our own main pickle.
        int third = IndexOfNth(header, (byte)'.', 3) + 1;
        ms.Write(header, 0, third);
        var p = new PickleWriter(ms);
        p.Proto(2).EmptyDict().Str("t").Global("torch._utils", "_rebuild_tensor_v2").Mark();
        p.Mark().Str("storage").Global("torch", "FloatStorage").Str("k").Str("cpu").Int(numel).None().Tuple().BinPersId();
        p.Int(offset).Mark();
        foreach (var d in shape) p.Int(d);
        p.Tuple().Mark();
        foreach (var d in stride) p.Int(d);
        p.Tuple().Bool(false).None().Tuple().Reduce().SetItem().Stop();
        p.Proto(2).EmptyList().Str("k").Append().Stop();
        long n = dataElements ?? numel;
        p.Raw(LegacyTorchBlob.Count(numel));
        for (int i = 0; i < n; i++) p.Raw(BitConverter.GetBytes((float)i));
        return ms.ToArray();
    }

    static int IndexOfNth(byte[] b, byte v, int n)
    {
        // Counts STOP opcodes conservatively: the magic/protocol/sys_info pickles contain no other '.' bytes.
        for (int i = 0, seen = 0; i < b.Length; i++) if (b[i] == v && ++seen == n) return i;
        throw new InvalidOperationException();
    }

    static int FindInt64(byte[] b, long value)
    {
        var needle = BitConverter.GetBytes(value);
        for (int i = b.Length - 8; i >= 0; i--) if (b.AsSpan(i, 8).SequenceEqual(needle)) return i;
        throw new InvalidOperationException();
    }
}
