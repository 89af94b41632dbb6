// The converter on real My3DGen snapshots (tests/fixtures/my3dgen, pickled by the official code at rank 1 / alpha 1 and
// rank 4 / alpha 16): the LoRA-wrapped G_ema is recognised, its base keeps exactly the plain EG3D names and shapes of the
// same tiny configuration (eg3d-tiny.pkl), the factors carry the snapshot's settings, and damaged snapshots are typed errors.
using System.IO.Compression;

namespace My3DGen.WeightsConverter.Tests;

[Category("Slow")]
public class My3DGenSnapshotTests
{
    /// <summary>The decompressed snapshot (the fixture is brotli-compressed: a tiny snapshot is ~130 MB, see its README).</summary>
    internal static byte[] Snapshot(string tag) => tag == "r1_alpha1" ? R1.Value : Decompress(tag);

    static readonly Lazy<byte[]> R1 = new(() => Decompress("r1_alpha1"));

    static byte[] Decompress(string tag)
    {
        using var input = File.OpenRead(TestFiles.Fixture("my3dgen", $"my3dgen-tiny-{tag}.pkl.br"));
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        brotli.CopyTo(output);
        return output.ToArray();
    }

    static readonly Lazy<Dictionary<string, int[]>> PlainEg3d = new(() =>
    {
        using var src = WeightsSource.Open(TestFiles.Fixture("eg3d", "eg3d-tiny.pkl"));
        return src.Tensors.ToDictionary(t => t.Name, t => t.Shape);
    });

    [TestCase("r1_alpha1", 1, 1.0, 1.0)]
    [TestCase("r4_alpha16", 4, 16.0, 4.0)]
    public void SnapshotSplitsIntoThePlainBaseAndItsFactors(string tag, int rank, double alpha, double scaling)
    {
        using var src = WeightsSource.FromBytes(Snapshot(tag), tag + ".pkl");
        Assert.That(src.SelectedKey, Is.EqualTo("G_ema"));
        Assert.That(src.Lora, Is.Not.Null);
        Assert.That((src.Lora!.Rank, src.Lora.Alpha, src.Lora.Scaling), Is.EqualTo((rank, alpha, scaling)));
        var baseShapes = src.Tensors.ToDictionary(t => t.Name, t => t.Shape);
        Assert.That(baseShapes.Keys, Is.EquivalentTo(PlainEg3d.Value.Keys), "base names = the plain EG3D state dict of the same config");
        foreach (var (name, shape) in PlainEg3d.Value) Assert.That(baseShapes[name], Is.EqualTo(shape), name);

        // One A and one B for every modulated conv, ToRGB and style affine of the backbone and the super-resolution.
        var adapted = baseShapes.Keys.Where(n => (n.StartsWith("backbone.synthesis.") || n.StartsWith("superresolution."))
            && (n.EndsWith(".conv0.weight") || n.EndsWith(".conv1.weight") || n.EndsWith(".torgb.weight") || n.EndsWith(".affine.weight")))
            .Select(n => n[..^".weight".Length]).ToList();
        Assert.That(adapted, Has.Count.EqualTo(52));
        var factors = src.Lora.Factors.ToDictionary(f => f.Key, f => f.Value);
        Assert.That(factors.Keys, Is.EquivalentTo(adapted.SelectMany(l => new[] { l + ".lora_A", l + ".lora_B" })));
        int k = 3;
        Assert.That(factors["backbone.synthesis.b4.conv1.lora_A"].Shape, Is.EqualTo(new long[] { rank * k, 32 * 9 }));
        Assert.That(factors["backbone.synthesis.b4.conv1.lora_B"].Shape, Is.EqualTo(new long[] { 32, rank * k }));
        Assert.That(factors["backbone.synthesis.b8.torgb.lora_A"].Shape, Is.EqualTo(new long[] { rank, 32 }));
        Assert.That(factors["superresolution.block1.conv0.affine.lora_A"].Shape, Is.EqualTo(new long[] { rank, 512 }));
        Assert.That(factors["superresolution.block1.conv0.affine.lora_B"].Shape, Is.EqualTo(new long[] { 128, rank }));
        Assert.That(src.Metadata["my3dgen_lora"], Does.Contain($"\"rank\":{rank}"));
    }

    [Test]
    public void ConvertRefusesToDropTheFactorsAndExtractsThemWhenAsked()
    {
        var dir = TestFiles.TempDir();
        var pkl = Path.Combine(dir, "snap.pkl");
        File.WriteAllBytes(pkl, Snapshot("r1_alpha1"));
        var outPath = Path.Combine(dir, "base.safetensors");
        var e = Assert.Throws<WeightsFormatException>(() => WeightsConverter.Convert(pkl, outPath))!;
        Assert.That(e.Message, Does.StartWith(pkl).And.Contain("My3DGen LoRA snapshot (rank 1, alpha 1)").And.Not.Contain("\n"));
        Assert.That(File.Exists(outPath), Is.False);

        var r = WeightsConverter.Convert(pkl, outPath, new ConvertOptions { ExtractMy3DGenLora = true });
        Assert.That(r.Lora, Is.Not.Null);
        Assert.That(r.TensorCount, Is.EqualTo(PlainEg3d.Value.Count));
        Assert.That(r.Lora!.Factors, Has.Count.EqualTo(104));
        Assert.That(r.Lora.Factors.All(f => f.Values.Any(v => v != 0)), Is.True, "every factor, A and B, is non-zero in this fixture");

        var plain = Assert.Throws<WeightsFormatException>(() =>
            WeightsConverter.Convert(TestFiles.Fixture("eg3d", "eg3d-tiny.pkl"), Path.Combine(dir, "x.safetensors"), new ConvertOptions { ExtractMy3DGenLora = true }))!;
        Assert.That(plain.Message, Does.Contain("not a My3DGen LoRA snapshot"));
        Directory.Delete(dir, true);
    }

    // Damage that keeps the pickle well-formed: every name is stored once and memoised, so a same-length rename
    // changes it everywhere.
    [TestCase("lora_A", "lora_Z", "has no lora_A")]
    [TestCase("scaling", "scalinG", "has no number 'scaling'")]
    [TestCase("ToRGBLayerWrapper", "ToRGBLayerWrappeX", "belongs to no supported My3DGen wrapper")]
    public void DamagedSnapshotsAreOneLineTypedErrors(string from, string to, string expected)
    {
        var data = (byte[])Snapshot("r1_alpha1").Clone();
        Assert.That(Replace(data, from, to), Is.GreaterThan(0), "the fixture holds the string");
        var e = Assert.Throws<WeightsFormatException>(() => { using var _ = WeightsSource.FromBytes(data, "damaged.pkl"); })!;
        Assert.That(e.Message, Does.StartWith("damaged.pkl").And.Contain(expected).And.Not.Contain("\n"));
    }

    [Test]
    public void TruncatedSnapshotIsATypedError()
    {
        var data = Snapshot("r1_alpha1");
        var e = Assert.Throws<WeightsFormatException>(() => { using var _ = WeightsSource.FromBytes(data[..(data.Length / 3)], "cut.pkl"); })!;
        Assert.That(e.Message, Does.StartWith("cut.pkl").And.Not.Contain("\n"));
    }

    static int Replace(byte[] data, string from, string to)
    {
        byte[] a = System.Text.Encoding.ASCII.GetBytes(from), b = System.Text.Encoding.ASCII.GetBytes(to);
        int n = 0;
        for (int i = data.AsSpan().IndexOf(a); i >= 0;)
        {
            b.CopyTo(data, i);
            n++;
            int next = data.AsSpan(i + a.Length).IndexOf(a);
            i = next < 0 ? -1 : i + a.Length + next;
        }
        return n;
    }
}
