// Generator outputs vs the fixtures for both reference cases: image_raw, image_depth and the super-resolved image.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Models.Tests.Eg3d;

public class EndToEndTests
{
    [Test]
    public void Case0OutputsMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var res = TinyModel.Case0.Result;
        r.Check("image_raw (psi 1, cam0)", "image_raw", res.ImageRaw, 1e-3);
        r.Check("image_depth (psi 1, cam0)", "image_depth", res.ImageDepth, 1e-3);
        r.Check("image (psi 1, cam0)", "image", res.Image, 1e-3);
    }

    [Test]
    public void Case1OutputsMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        var be = CpuBackend.Instance;
        var g = TinyModel.Generator;
        using var _ = GradMode.NoGrad();
        var ws = g.Mapping(r.Tensor(be, "input.z"), r.Tensor(be, "input.c_cond"), r.Read("input.truncation_psi")[0], 14);
        var res = g.Synthesize(ws, r.Tensor(be, "input.c"));
        r.Check("ws (psi 0.7, cam1)", "ws", ws, 1e-4);
        r.Check("image_raw (psi 0.7, cam1)", "image_raw", res.ImageRaw, 1e-3);
        r.Check("image_depth (psi 0.7, cam1)", "image_depth", res.ImageDepth, 1e-3);
        r.Check("image (psi 0.7, cam1)", "image", res.Image, 1e-3);
    }
}
