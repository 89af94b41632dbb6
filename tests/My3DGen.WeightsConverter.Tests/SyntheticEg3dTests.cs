// A synthetic snapshot with the ffhq512-128 layout (channels / 8) converts to exactly the spec's
// appendix-A names, with shapes and values of G_ema (network 2), not G or D.
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Testing;

namespace My3DGen.WeightsConverter.Tests;

public class SyntheticEg3dTests
{
    [Test]
    public void Ffhq512LayoutConvertsWithGemaValues()
    {
        var dir = TestFiles.TempDir();
        try
        {
            string pkl = Path.Combine(dir, "s.pkl"), output = Path.Combine(dir, "s.safetensors");
            SyntheticEg3d.Write(pkl, channelDivisor: 8);
            var progress = new List<ConvertProgress>();
            WeightsConverter.Convert(pkl, output, null, new SyncProgress(progress.Add));
            Assert.That(progress[^1].Stage, Is.EqualTo(ConvertStage.Done));
            var keys = SyntheticEg3d.GeneratorKeys(8);
            Assert.That(keys, Has.Count.EqualTo(177));
            using var f = SafeTensorsFile.Open(output);
            Assert.That(f.Tensors.Select(t => t.Name), Is.EqualTo(keys.Select(k => k.Name)));
            Assert.That(f.Metadata["neural_rendering_resolution"], Is.EqualTo("128"));
            for (int i = 0; i < keys.Count; i += 7)
            {
                Assert.That(f.Info(keys[i].Name).Shape, Is.EqualTo(keys[i].Shape));
                var v = f.ReadFloat32(keys[i].Name);
                for (long j = 0; j < v.Length; j += 1 + v.Length / 50)
                    Assert.That(v[j], Is.EqualTo(SyntheticEg3d.Value(2, i, j)), keys[i].Name);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    sealed class SyncProgress(Action<ConvertProgress> a) : IProgress<ConvertProgress>
    {
        public void Report(ConvertProgress value) => a(value);
    }
}
