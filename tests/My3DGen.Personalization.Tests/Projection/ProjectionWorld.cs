// Shared setup of the projector tests: a small random EG3D (the tiny config with 8 channels, so hundreds of steps stay
// affordable), random LPIPS-VGG weights, and photos rendered from known latents and cameras (so the answer is known).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Latents;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Projection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Tests.Projection;

internal static class ProjectionWorld
{
    /// <summary>The tiny EG3D config narrowed to 8 channels per block (same structure, 13 noise maps, 128² output).</summary>
    public static Eg3dGenerator Generator(int seed = 5) => Eg3dGenerator.CreateRandom(Eg3dConfig.Tiny with { ChannelMax = 8 }, seed, CpuBackend.Instance);

    /// <summary>Camera of photo i: yaws and pitches spread around the front.</summary>
    public static float[] Camera(int i) => CameraLabel.Create(-0.3f + 0.12f * i, 0.1f * ((i % 3) - 1));

    /// <summary>A novel view for photo i (never seen by the projector).</summary>
    public static float[] NovelCamera(int i) => CameraLabel.Create(0.45f - 0.18f * (i % 6), -0.15f);

    /// <summary>The known ws of photo i: mapping of numpy RandomState(1000 + i) z, frontal conditioning.</summary>
    public static float[] KnownWs(Eg3dGenerator gen, int i)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var be = gen.Backend;
        var z = new NumpyRandomState((uint)(1000 + i)).Randn(gen.Config.ZDim);
        return gen.Mapping(Tensor.FromArray(be, z, 1, gen.Config.ZDim), Tensor.FromArray(be, WStatistics.FrontalCamera(gen), 1, 25)).ToArray();
    }

    /// <summary>Deterministic const-noise render of ws from camera, CHW floats.</summary>
    public static float[] Render(Eg3dGenerator gen, float[] ws, float[] camera)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var be = gen.Backend;
        return gen.Synthesize(Tensor.FromArray(be, ws, 1, gen.Config.NumWs, gen.Config.WDim), Tensor.FromArray(be, camera, 1, 25)).Image.ToArray();
    }

    public static ProjectionTarget Target(Eg3dGenerator gen, int i) =>
        new($"photo_{i}", Render(gen, KnownWs(gen, i), Camera(i)).Select(x => Math.Clamp(x, -1f, 1f)).ToArray(), Camera(i));

    public static Lpips RandomVgg() => Lpips.CreateRandom(LpipsNet.Vgg, 3, CpuBackend.Instance);

    public static double Mse(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average();

    /// <summary>A person folder of <paramref name="count"/> rendered photos (PNG) with dataset.json and no anchors.</summary>
    public static string PhotoFolder(Eg3dGenerator gen, string dir, int count)
    {
        Directory.CreateDirectory(dir);
        var labels = new List<object[]>();
        int r = gen.Config.ImgResolution;
        for (int i = 0; i < count; i++)
        {
            var t = Target(gen, i);
            using var img = new Image<Rgb24>(r, r);
            for (int y = 0; y < r; y++)
                for (int x = 0; x < r; x++)
                {
                    byte B(int c) => (byte)Math.Clamp((int)MathF.Round((t.Image[(c * r + y) * r + x] + 1) * 127.5f), 0, 255);
                    img[x, y] = new Rgb24(B(0), B(1), B(2));
                }
            img.SaveAsPng(Path.Combine(dir, $"photo_{i}.png"));
            labels.Add([$"photo_{i}.png", t.Camera]);
        }
        File.WriteAllText(Path.Combine(dir, "dataset.json"), System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["labels"] = labels }));
        return dir;
    }
}
