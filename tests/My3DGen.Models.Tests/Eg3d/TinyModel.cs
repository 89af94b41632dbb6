// The tiny EG3D generator loaded once on the managed CPU backend, and the psi=1/cam0 reference case run once
// with a full trace (block outputs, render stages, SR blocks), shared by the stage-by-stage fixture tests.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Rendering;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Tests.Eg3d;

internal sealed class TinyRun
{
    public required Tensor Ws { get; init; }
    public required MappingNetwork.Trace Mapping { get; init; }
    public required Dictionary<string, (Tensor X, Tensor Img)> Blocks { get; init; }
    public required Tensor Planes { get; init; }
    public required RenderTrace Render { get; init; }
    public required SynthesisResult Result { get; init; }
    public required Dictionary<int, (Tensor X, Tensor Img)> SrBlocks { get; init; }
}

internal static class TinyModel
{
    static readonly Lazy<Eg3dGenerator> Gen = new(() => Eg3dGenerator.Load(FixtureData.TinyModel, CpuBackend.Instance));
    public static Eg3dGenerator Generator => Gen.Value;

    static readonly Lazy<TinyRun> Case0Run = new(() => RunCase(FixtureData.Case0));
    public static TinyRun Case0 => Case0Run.Value;

    /// <summary>Runs mapping + synthesis of a reference case with every intermediate recorded.</summary>
    public static TinyRun RunCase(string caseFile)
    {
        using var r = new Reference(FixtureData.Open(caseFile));
        var g = Generator;
        var be = CpuBackend.Instance;
        using var _ = GradMode.NoGrad();
        var z = r.Tensor(be, "input.z");
        var cc = r.Tensor(be, "input.c_cond");
        var c = r.Tensor(be, "input.c");
        float psi = r.Read("input.truncation_psi")[0];
        MappingNetwork.Trace? mt = null;
        var ws = g.MappingNetwork.Forward(z, cc, psi, 14, t => mt = t);
        var blocks = new Dictionary<string, (Tensor, Tensor)>();
        var img = g.Backbone.Forward(ws, NoiseSettings.Const, (b, x, i) => blocks[b.Name.Split('.').Last()] = (x, i));
        var planes = img.Reshape(1, 3, 32, 256, 256);
        var trace = new RenderTrace();
        var opts = new SynthesisOptions { Trace = trace };
        var srBlocks = new Dictionary<int, (Tensor, Tensor)>();
        var result = g.Render(planes, ws, c, opts);
        // SR block outputs: rerun the SR module with a block hook on the rendered features.
        g.SuperResolution.Forward(result.ImageRaw, result.FeatureImage, ws, NoiseSettings.None, (i, x, im) => srBlocks[i] = (x, im));
        return new TinyRun { Ws = ws, Mapping = mt!, Blocks = blocks, Planes = planes, Render = trace, Result = result, SrBlocks = srBlocks };
    }
}
