// Renderer vs the fixtures, stage by stage: rays, coarse depths, coarse coords/plane features/decoder outputs,
// coarse march, importance weights, fine depths, fine pass, final march, and sample_mixed at fixed points.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models.Rendering;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Tests.Eg3d;

public class RenderTests
{
    static RenderTrace Trace => TinyModel.Case0.Render;

    [Test]
    public void RaysMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        r.Check("rays.origins", "rays.origins", Trace.Rays!.Origins, [1, 1024, 3], 1e-5);
        r.Check("rays.directions", "rays.directions", Trace.Rays!.Directions, [1, 1024, 3], 1e-5);
    }

    [Test]
    public void CoarsePassMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        r.Check("render.depths_coarse", "render.depths_coarse", Trace.DepthsCoarse!, [1, 1024, 12, 1], 1e-5);
        CheckPass(r, "coarse", Trace.Coarse!);
        var m = Trace.CoarseMarch!;
        r.Check("render.coarse.marched_rgb", "render.coarse.marched_rgb", m.Rgb, r.IntermediateTol("render.coarse.marched_rgb"));
        r.Check("render.coarse.marched_depth", "render.coarse.marched_depth", m.Depth, 1e-3);
        r.Check("render.coarse.marched_weights", "render.coarse.marched_weights", m.Weights, 1e-4);
        r.Check("render.importance_weights", "render.importance_weights", Trace.ImportanceWeights!, [1, 1024, 11, 1], 1e-4);
    }

    [Test]
    public void FinePassMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        r.Check("render.depths_fine", "render.depths_fine", Trace.DepthsFine!, [1, 1024, 12, 1], 1e-4);
        CheckPass(r, "fine", Trace.Fine!);
        var m = Trace.Final!;
        r.Check("render.final.marched_rgb", "render.final.marched_rgb", m.Rgb, r.IntermediateTol("render.final.marched_rgb"));
        r.Check("render.final.marched_depth", "render.final.marched_depth", TinyModel.Case0.Result.ImageDepth.ToArray(), [1, 1024, 1], 1e-3);
        r.Check("render.final.marched_weights", "render.final.marched_weights", m.Weights, 1e-3);
    }

    static void CheckPass(Reference r, string pass, PassTrace p)
    {
        r.Check($"render.{pass}.coords", $"render.{pass}.coords", p.Coords, [1, 12288, 3], 1e-5);
        r.Check($"render.{pass}.plane_features", $"render.{pass}.plane_features", p.PlaneFeatures!, r.IntermediateTol($"render.{pass}.plane_features"));
        r.Check($"render.{pass}.decoder_rgb", $"render.{pass}.decoder_rgb", p.Decoded.Rgb, r.IntermediateTol($"render.{pass}.decoder_rgb"));
        r.Check($"render.{pass}.decoder_sigma", $"render.{pass}.decoder_sigma", p.Decoded.Sigma, r.IntermediateTol($"render.{pass}.decoder_sigma"));
    }

    [Test]
    public void SampleMixedAtPointsMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        using var _ = GradMode.NoGrad();
        var outp = TinyModel.Generator.SamplePoints(TinyModel.Case0.Planes, r.Read("points.xyz"));
        r.Check("points.rgb", "points.rgb", outp.Rgb, 1e-4);
        r.Check("points.sigma", "points.sigma", outp.Sigma, r.IntermediateTol("points.sigma"));
    }
}
