// Real files written by PyTorch (tests/fixtures/torch/make_fixtures.py): legacy and zip torch.save with
// every dtype, a transposed and an offset view, and a TorchScript archive, checked against expected.json.
using System.Text.Json;
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter.Tests;

public class TorchFixtureTests
{
    static JsonElement Expected(string section)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(TestFiles.Fixture("torch", "expected.json")));
        return doc.RootElement.GetProperty(section).Clone();
    }

    static readonly Dictionary<string, StoredDType> DTypes = new()
    {
        ["float32"] = StoredDType.F32, ["float16"] = StoredDType.F16, ["bfloat16"] = StoredDType.BF16, ["float64"] = StoredDType.F64,
        ["int64"] = StoredDType.I64, ["int32"] = StoredDType.I32, ["uint8"] = StoredDType.U8, ["bool"] = StoredDType.Bool,
    };

    [TestCase("legacy.pt", "torch-legacy")]
    [TestCase("zip.pt", "torch-zip")]
    public void StateDictLoadsWithExactValues(string file, string container)
    {
        var dir = TestFiles.TempDir();
        try
        {
            var output = Path.Combine(dir, "out.safetensors");
            WeightsConverter.Convert(TestFiles.Fixture("torch", file), output);
            using var f = SafeTensorsFile.Open(output);
            Assert.That(f.Metadata["container"], Is.EqualTo(container));
            CheckAll(f, Expected("state_dict"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void TorchScriptArchiveTensorsAreExtracted()
    {
        var dir = TestFiles.TempDir();
        try
        {
            var output = Path.Combine(dir, "script.safetensors");
            WeightsConverter.Convert(TestFiles.Fixture("torch", "tiny_script.pt"), output);
            using var f = SafeTensorsFile.Open(output);
            Assert.That(f.Metadata["container"], Is.EqualTo("torchscript"));
            var expected = Expected("script");
            Assert.That(f.Tensors.Select(t => t.Name), Is.EquivalentTo(expected.EnumerateObject().Select(p => p.Name)));
            CheckAll(f, expected);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void ViewsKeepTheirOffsetAndStride()
    {
        var src = WeightsSource.Open(TestFiles.Fixture("torch", "legacy.pt"));
        using (src)
        {
            var t = src.Tensors.Single(x => x.Name == "transposed");
            Assert.That(t.Shape, Is.EqualTo(new[] { 6, 4 }));
            var v = t.ReadFloat32();
            // transposed[i, j] = base[j, i] = (j*6 + i) * 0.25 - 2
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 4; j++)
                    Assert.That(v[i * 4 + j], Is.EqualTo((j * 6 + i) * 0.25f - 2f));
        }
    }

    static void CheckAll(SafeTensorsFile f, JsonElement expected)
    {
        foreach (var prop in expected.EnumerateObject())
        {
            var e = prop.Value;
            var info = f.Info(prop.Name);
            Assert.That(info.DType, Is.EqualTo(DTypes[e.GetProperty("dtype").GetString()!]), prop.Name);
            Assert.That(info.Shape, Is.EqualTo(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray()), prop.Name);
            var values = e.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.That(Decode(info.DType, f.RawBytes(prop.Name)), Is.EqualTo(values), prop.Name);
        }
    }

    // Exact decoding of each dtype to double (independent of the engine's float32 conversion).
    static double[] Decode(StoredDType t, ReadOnlySpan<byte> raw)
    {
        var r = raw.ToArray();
        int n = r.Length / t.Size();
        return Enumerable.Range(0, n).Select(i => t switch
        {
            StoredDType.F32 => BitConverter.ToSingle(r, i * 4),
            StoredDType.F64 => BitConverter.ToDouble(r, i * 8),
            StoredDType.F16 => (double)BitConverter.ToHalf(r, i * 2),
            StoredDType.BF16 => BitConverter.Int32BitsToSingle(BitConverter.ToUInt16(r, i * 2) << 16),
            StoredDType.I64 => BitConverter.ToInt64(r, i * 8),
            StoredDType.I32 => BitConverter.ToInt32(r, i * 4),
            _ => r[i],
        }).ToArray();
    }
}
