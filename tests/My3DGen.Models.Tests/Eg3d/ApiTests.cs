// Generator API contracts: config parsing, camera helpers and validation, typed load errors naming file and tensor,
// random generators with the real state-dict names/shapes, cached planes re-rendered, and gradients reaching the planes.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Rendering;
using My3DGen.Models.SuperResolution;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Tests.Eg3d;

public class ApiTests
{
    [Test]
    public void ConfigIsParsedFromConvertedMetadata()
    {
        var cfg = TinyModel.Generator.Config;
        Assert.That(cfg with { Rendering = cfg.Rendering with { AvgCameraPivot = Eg3dConfig.Tiny.Rendering.AvgCameraPivot } },
            Is.EqualTo(Eg3dConfig.Tiny with { Rendering = Eg3dConfig.Tiny.Rendering with { AvgCameraPivot = Eg3dConfig.Tiny.Rendering.AvgCameraPivot } }));
        Assert.That(cfg.Rendering.AvgCameraPivot, Is.EqualTo(new[] { 0f, 0f, 0.2f }));
        Assert.That(cfg.NumWs, Is.EqualTo(14));
        Assert.That(cfg.BlockResolutions, Is.EqualTo(new[] { 4, 8, 16, 32, 64, 128, 256 }));
        Assert.That(Eg3dConfig.Ffhq512.Channels(128), Is.EqualTo(256));
        Assert.That(Eg3dConfig.Ffhq512.SuperResolution, Is.EqualTo(SuperResolutionKind.Hybrid8XDC));
    }

    [Test]
    public void CameraLabelsMatchFixtureCameras()
    {
        using var r0 = new Reference(FixtureData.Open(FixtureData.Case0));
        using var r1 = new Reference(FixtureData.Open(FixtureData.Case1));
        float f = CameraLabel.FovToFocal(18.837f);
        Assert.That(f, Is.EqualTo(4.263391f).Within(1e-5f));
        double e0 = Reference.MaxAbs(r0.Read("input.c"), CameraLabel.Create(0f, 0f, focal: f));
        double e1 = Reference.MaxAbs(r1.Read("input.c"), CameraLabel.Create(0.4f, -0.2f, focal: f));
        TestContext.Out.WriteLine($"camera labels: max abs err cam0 {e0:E2}, cam1 {e1:E2}");
        Assert.That(e0, Is.LessThan(1e-5));
        Assert.That(e1, Is.LessThan(1e-5));
    }

    [Test]
    public void InvalidCamerasRaiseTypedErrorsNamingTheArgument()
    {
        var ex = Assert.Throws<InvalidCameraException>(() => CameraLabel.Validate(new float[24], "camera"));
        Assert.That(ex!.ParamName, Is.EqualTo("camera"));
        var bad = CameraLabel.Create(0, 0); bad[3] = float.NaN;
        Assert.Throws<InvalidCameraException>(() => CameraLabel.Validate(bad, "cond-camera"));
        var be = CpuBackend.Instance;
        using var _ = GradMode.NoGrad();
        var z = Tensor.Zeros(be, 1, 512);
        var e2 = Assert.Throws<InvalidCameraException>(() => TinyModel.Generator.Mapping(z, Tensor.Zeros(be, 1, 24)));
        Assert.That(e2!.ParamName, Is.EqualTo("c"));
    }

    [Test]
    public void RandomGeneratorHasTheStateDictNamesAndShapes()
    {
        using var file = SafeTensorsFile.Open(FixtureData.TinyModel);
        var g = Eg3dGenerator.CreateRandom(Eg3dConfig.Tiny, 1, CpuBackend.Instance);
        var expected = file.Tensors.Select(t => (t.Name, string.Join(",", t.Shape))).ToList();
        var actual = g.Tensors.Select(t => (t.Key, string.Join(",", t.Value.Shape))).ToList();
        Assert.That(actual, Is.EqualTo(expected));
        var full = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512 with { }, 1, CpuBackend.Instance);
        Assert.That(full.Tensors.Count, Is.EqualTo(177));
        Assert.That(full.Tensors.Where(t => !t.Key.EndsWith("noise_const") && !t.Key.EndsWith("resample_filter") && t.Key != "backbone.mapping.w_avg" && t.Key != "dataset_label_std")
            .Sum(t => t.Value.Numel), Is.EqualTo(30_662_136));
    }

    [Test]
    public void LoadErrorsNameTheFileAndTensor()
    {
        var dir = Path.Combine(Path.GetTempPath(), "my3dgen-models-tests");
        Directory.CreateDirectory(dir);
        using var src = SafeTensorsFile.Open(FixtureData.TinyModel);
        string Write(string name, Func<SafeTensorInfo, (bool Keep, int[] Shape)> edit)
        {
            var w = new SafeTensorsWriter();
            foreach (var (k, v) in src.Metadata) w.AddMetadata(k, v);
            foreach (var t in src.Tensors)
            {
                var (keep, shape) = edit(t);
                if (!keep) continue;
                var data = src.ReadFloat32(t.Name);
                w.Add(t.Name, shape, shape.Aggregate(1, (a, b) => a * b) == data.Length ? data : new float[shape.Aggregate(1, (a, b) => a * b)]);
            }
            var p = Path.Combine(dir, $"{name}-{Environment.ProcessId}.safetensors");
            w.Write(p);
            return p;
        }
        var missing = Write("missing", t => (t.Name != "decoder.net.2.bias", t.Shape));
        var e1 = Assert.Throws<MissingTensorException>(() => Eg3dGenerator.Load(missing, CpuBackend.Instance));
        Assert.That(e1!.Message, Does.Contain(missing).And.Contain("decoder.net.2.bias"));
        var shaped = Write("shape", t => (true, t.Name == "backbone.synthesis.b8.conv0.weight" ? [32, 32, 1, 1] : t.Shape));
        var e2 = Assert.Throws<TensorShapeException>(() => Eg3dGenerator.Load(shaped, CpuBackend.Instance));
        Assert.That(e2!.Message, Does.Contain(shaped).And.Contain("backbone.synthesis.b8.conv0.weight").And.Contain("[32,32,3,3]"));
        File.Delete(missing); File.Delete(shaped);
    }

    [Test]
    public void CachedPlanesRenderLikeFullSynthesis()
    {
        var be = CpuBackend.Instance;
        var g = TinyModel.Generator;
        using var _ = GradMode.NoGrad();
        var ws = TinyModel.Case0.Ws;
        var cam = CameraLabel.ToTensor(be, CameraLabel.Create(0.3f, 0.1f, focal: CameraLabel.FovToFocal(18.837f)));
        var planes = g.SynthesizePlanes(ws);
        var a = g.Render(planes, ws, cam, new SynthesisOptions { RaysPerChunk = 100 });
        var b = g.Synthesize(ws, cam);
        Assert.That(Reference.MaxAbs(a.Image.ToArray(), b.Image.ToArray()), Is.LessThan(1e-5));
        Assert.That(Reference.MaxAbs(a.ImageDepth.ToArray(), b.ImageDepth.ToArray()), Is.LessThan(1e-5));
    }

    [Test]
    public void GradientsFlowFromTheImageToThePlanesAndWs()
    {
        var be = CpuBackend.Instance;
        var g = TinyModel.Generator;
        var ws = TinyModel.Case0.Ws.Detach();
        ws.RequiresGrad = true;
        var cam = CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f, focal: CameraLabel.FovToFocal(18.837f)));
        var res = g.Synthesize(ws, cam, new SynthesisOptions { NeuralRenderingResolution = 8 });
        res.Image.Square().Mean().Backward();
        var grad = ws.Grad!.ToArray();
        Assert.That(grad.All(float.IsFinite), Is.True);
        Assert.That(grad.Max(Math.Abs), Is.GreaterThan(0f));
    }
}

public class NumpyRandomStateTests
{
    [Test]
    public void SeedZeroReproducesTheFixtureLatent()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var z = new Latents.NumpyRandomState(0).Randn(512);
        Assert.That(z[0], Is.EqualTo(1.7640524f));
        Assert.That(Reference.MaxAbs(r.Read("input.z"), z), Is.EqualTo(0));
    }
}

public class DensityGridTests
{
    [Test]
    public void GridIsIndexedZyx()
    {
        using var _ = Engine.Autograd.GradMode.NoGrad();
        var g = TinyModel.Generator;
        var planes = TinyModel.Case0.Planes;
        var grid = DensityGrid.Sample(g, planes, 8, pointsPerChunk: 100);
        Assert.That(grid.Length, Is.EqualTo(512));
        // Element (i=1, j=2, k=3) is σ at (x_3, y_2, z_1) with coordinates −0.5 + (index + 0.5)/8.
        float C(int idx) => -0.5f + (idx + 0.5f) / 8f;
        var direct = g.SamplePoints(planes, [C(3), C(2), C(1)]).Sigma.Item();
        Assert.That(grid[(1 * 8 + 2) * 8 + 3], Is.EqualTo(direct).Within(1e-5f));
    }
}

public class BatchTests
{
    [Test]
    public void BatchOfTwoMatchesSingleRenders()
    {
        var be = CpuBackend.Instance;
        var g = TinyModel.Generator;
        using var _ = GradMode.NoGrad();
        var ws1 = TinyModel.Case0.Ws;
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        var ws2 = g.Mapping(r.Tensor(be, "input.z"), r.Tensor(be, "input.c_cond"), 0.7f, 14);
        var ws = Engine.Ops.ShapeOps.Concat([ws1, ws2], 0);
        var cams = Engine.Ops.ShapeOps.Concat([r.Tensor(be, "input.c_cond"), r.Tensor(be, "input.c")], 0);
        var batch = g.Synthesize(ws, cams);
        Assert.That(batch.Image.Shape, Is.EqualTo(new[] { 2, 3, 128, 128 }));
        var second = batch.Image.Slice(0, 1, 1).ToArray();
        double err = Reference.MaxAbs(r.Read("image"), second);
        TestContext.Out.WriteLine($"batch of 2, sample 1 image vs psi0.7/cam1 fixture: max abs err = {err:E2}");
        Assert.That(err, Is.LessThan(1e-3));
    }
}
