// The released LPIPS v0.1 weight files (legacy torch.save) convert with the shapes and sums of their README.
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter.Tests;

public class LpipsTests
{
    [TestCase("alex.pth", new[] { 64, 192, 384, 256, 256 }, new[] { 2.3495, 16.1430, 39.2684, 27.1972, 20.3172 })]
    [TestCase("vgg.pth", new[] { 64, 128, 256, 512, 512 }, new[] { 6.9260, 8.8583, 17.5150, 51.5213, 47.0349 })]
    [TestCase("squeeze.pth", new[] { 64, 128, 256, 384, 384, 512, 512 }, new[] { 5.6901, 1.1853, 16.3266, 71.0126, 37.3707, 24.2629, 17.5906 })]
    public void ConvertsWithReadmeSums(string file, int[] channels, double[] sums)
    {
        var dir = TestFiles.TempDir();
        try
        {
            var output = Path.Combine(dir, "lin.safetensors");
            var result = WeightsConverter.Convert(TestFiles.Fixture("lpips", file), output);
            Assert.That(result.TensorCount, Is.EqualTo(channels.Length));
            using var f = SafeTensorsFile.Open(output);
            Assert.That(f.Metadata["container"], Is.EqualTo("torch-legacy"));
            for (int i = 0; i < channels.Length; i++)
            {
                string name = $"lin{i}.model.1.weight";
                Assert.That(f.Info(name).Shape, Is.EqualTo(new[] { 1, channels[i], 1, 1 }));
                double sum = f.ReadFloat32(name).Sum(x => (double)x);
                TestContext.Out.WriteLine($"{file} {name} sum {sum:F4}");
                Assert.That(sum, Is.EqualTo(sums[i]).Within(6e-5), name);
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
