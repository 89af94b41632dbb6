// Super-resolution vs the fixtures: the tiny model's Hybrid2X blocks and the full ffhq512-128 SuperresolutionHybrid8XDC
// module (its own parameters in sr8xdc_module.safetensors, one forward case).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Models.SuperResolution;
using My3DGen.Models.Synthesis;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Tests.Eg3d;

public class SuperResolutionTests
{
    [Test]
    public void Hybrid2XBlocksMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var sr = TinyModel.Case0.SrBlocks;
        r.Check("sr.block0.out_x", "sr.block0.out_x", sr[0].X, r.IntermediateTol("sr.block0.out_x"));
        r.Check("sr.block0.out_img", "sr.block0.out_img", sr[0].Img, 1e-3);
        r.Check("sr.block1.out_x", "sr.block1.out_x", sr[1].X, r.IntermediateTol("sr.block1.out_x"));
        r.Check("sr.block1.out_img", "sr.block1.out_img", sr[1].Img, 1e-3);
    }

    [Test]
    public void Hybrid2XInputResizeMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        using var _ = GradMode.NoGrad();
        var res = TinyModel.Case0.Result;
        var x = Engine.Ops.Resampling.ResizeBilinear(res.FeatureImage, 64, 64, false, true);
        r.Check("sr.block0.in_x", "sr.block0.in_x", x, 1e-3);
    }

    [Test]
    public void Hybrid8XDCModuleMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Sr8xdc));
        var be = CpuBackend.Instance;
        var store = new SafeTensorsParameterStore(r.File, be);
        var sr = new SuperResolutionNetwork(Eg3dConfig.Ffhq512, store, "superresolution");
        using var _ = GradMode.NoGrad();
        Engine.Tensors.Tensor? x0 = null, img0 = null;
        var image = sr.Forward(r.Tensor(be, "forward.in.rgb"), r.Tensor(be, "forward.in.x"), r.Tensor(be, "forward.in.ws"), NoiseSettings.None,
            (i, x, img) => { if (i == 0) { x0 = x; img0 = img; } });
        r.Check("8xdc forward.block0.out_x", "forward.block0.out_x", x0!, r.IntermediateTol("forward.block0.out_x"));
        r.Check("8xdc forward.block0.out_img", "forward.block0.out_img", img0!, 1e-3);
        r.Check("8xdc forward.out.image", "forward.out.image", image, 1e-3);
    }
}
