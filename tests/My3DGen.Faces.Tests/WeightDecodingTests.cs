// Weight dequantisation against tf.io.decodeWeights (float16 weights of the real facemesh file, a synthetic uint8 and
// float16 blob), and the runner's refusals: unknown op and missing weights, each one line naming the file.
using System.Text.Json.Nodes;
using My3DGen.Faces.Graph;

namespace My3DGen.Faces.Tests;

public class WeightDecodingTests
{
    static JsonNode Reference => JsonNode.Parse(File.ReadAllText(GraphParityTests.Fixture("dequantisation.json")))!;

    [Test]
    public void Float16WeightsOfFaceMeshDecodeLikeTfjs()
    {
        var model = TfjsGraphModel.Load(FaceModelFiles.Path("facemesh"));
        var fp16 = Reference["facemeshFloat16"]!.AsObject();
        Assert.That(fp16.Count, Is.EqualTo(4));
        foreach (var (name, values) in fp16)
        {
            var expected = values!.AsArray().Select(v => (float)(double)v!).ToArray();
            Assert.That(model.Constants[name].Data.Take(expected.Length).ToArray(), Is.EqualTo(expected), name);
        }
    }

    [Test]
    public void SyntheticUint8AndFloat16DecodeLikeTfjs()
    {
        var synth = Reference["synthetic"]!;
        var bytes = Convert.FromBase64String((string)synth["bytesBase64"]!);
        var specs = synth["weights"]!.AsArray().Select(w => TfjsWeightSpec.Parse(w!, "synthetic")).ToList();
        var decoded = TfjsWeightDecoder.Decode(bytes, specs, "synthetic");
        foreach (var key in new[] { "q8", "h16" })
        {
            var expected = synth["decoded"]![key]!.AsArray().Select(v => (float)(double)v!).ToArray();
            Assert.That(decoded[key].Data, Is.EqualTo(expected), key);
        }
        Assert.That(decoded["q8"].Shape, Is.EqualTo(new[] { 2, 4 }));
    }

    [Test]
    public void UnknownOpIsRefusedNamingTheOp()
    {
        string dir = Path.Combine(Path.GetTempPath(), "faces-unknown-op-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string json = """
            {"format":"graph-model","modelTopology":{"node":[
              {"name":"x","op":"Placeholder","attr":{}},
              {"name":"y","op":"Softplus","input":["x"],"attr":{}}]},"weightsManifest":[]}
            """;
            File.WriteAllText(Path.Combine(dir, "m.json"), json);
            var model = TfjsGraphModel.Load(Path.Combine(dir, "m.json"));
            var e = Assert.Throws<FaceModelException>(() => new GraphExecutor(model).Run(
                new Dictionary<string, GraphTensor> { ["x"] = new GraphTensor(1, 2) }, "y"))!;
            Assert.That(e.Message, Does.Contain("m.json").And.Contain("'Softplus'").And.Contain("node 'y'"));
            Assert.That(e.Message, Does.Not.Contain("\n"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void MissingWeightFileIsOneLineError()
    {
        string dir = Path.Combine(Path.GetTempPath(), "faces-missing-bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "m.json"), """
            {"format":"graph-model","modelTopology":{"node":[{"name":"w","op":"Const","attr":{}}]},
             "weightsManifest":[{"paths":["m.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]}
            """);
            var e = Assert.Throws<FaceModelException>(() => TfjsGraphModel.Load(Path.Combine(dir, "m.json")))!;
            Assert.That(e.Message, Does.Contain("m.bin").And.Contain("missing"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
