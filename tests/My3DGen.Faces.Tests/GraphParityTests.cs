// The graph runner against TF.js's own CPU backend (tools/faces/make_reference.js): each model's outputs on the same
// deterministic input agree within 1e-4 of the output's scale (max |value|).
using My3DGen.Engine.IO;
using My3DGen.Faces;
using My3DGen.Faces.Graph;

namespace My3DGen.Faces.Tests;

public class GraphParityTests
{
    internal static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "faces", name);

    /// <summary>The input formula of make_reference.js, computed in double and stored as float32.</summary>
    internal static GraphTensor PatternInput(int size, Func<double, double> map)
    {
        var t = new GraphTensor(1, size, size, 3);
        int i = 0;
        for (int h = 0; h < size; h++)
            for (int w = 0; w < size; w++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 0.5 + 0.25 * Math.Sin(0.21 * h + 0.5 * c) + 0.2 * Math.Cos(0.17 * w - 0.3 * c) + 0.05 * Math.Sin(1.3 * ((h * w) % 97));
                    t.Data[i++] = (float)map(v);
                }
        return t;
    }

    static void Compare(string model, int size, Func<double, double> map, params string[] outputs)
    {
        var graph = TfjsGraphModel.Load(FaceModelFiles.Path(model));
        var results = new GraphExecutor(graph).Run(new Dictionary<string, GraphTensor> { [graph.InputNames[0]] = PatternInput(size, map) }, outputs);
        for (int k = 0; k < outputs.Length; k++)
        {
            var reference = NpyFile.Read(Fixture($"{model}.{outputs[k]}.npy"));
            Assert.That(results[k].Shape, Is.EqualTo(reference.Shape), $"{model} {outputs[k]} shape");
            double scale = reference.Data.Max(v => Math.Abs(v)), maxErr = 0;
            for (int i = 0; i < reference.Data.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(results[k].Data[i] - reference.Data[i]));
            TestContext.Out.WriteLine($"{model} {outputs[k]} {results[k].ShapeText}: max |diff| {maxErr:E2}, scale {scale:G4}, relative {maxErr / scale:E2}");
            Assert.That(maxErr / scale, Is.LessThan(1e-4), $"{model} {outputs[k]}");
        }
    }

    [Test]
    public void BlazeFaceMatchesTfjs() => Compare("blazeface", 256, v => 2 * v - 1, "Identity", "Identity_1", "Identity_2", "Identity_3");

    [Test]
    public void FaceMeshMatchesTfjs() => Compare("facemesh", 192, v => v, "Identity", "Identity_1", "Identity_2");

    [Test]
    public void MobileFaceNetMatchesTfjs() => Compare("mobilefacenet", 112, v => (v * 255 - 127.5) / 128, "embeddings");
}
