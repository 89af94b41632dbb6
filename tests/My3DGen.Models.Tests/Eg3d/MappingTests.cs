// Mapping network vs the fixtures: embed, fc0, fc1 and ws for ψ = 1 (cam0) and ψ = 0.7 (cam1).
namespace My3DGen.Models.Tests.Eg3d;

public class MappingTests
{
    [Test]
    public void MappingStagesMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        var run = TinyModel.Case0;
        r.Check("mapping.embed", "mapping.embed", run.Mapping.Embed, 1e-4);
        r.Check("mapping.fc0", "mapping.fc0", run.Mapping.Layers[0], 1e-4);
        r.Check("mapping.fc1", "mapping.fc1", run.Mapping.Layers[1], 1e-4);
        r.Check("ws (psi 1)", "ws", run.Ws, 1e-4);
    }

    [Test]
    public void TruncatedWsMatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        var be = Engine.Backends.Cpu.CpuBackend.Instance;
        using var _ = Engine.Autograd.GradMode.NoGrad();
        var ws = TinyModel.Generator.Mapping(r.Tensor(be, "input.z"), r.Tensor(be, "input.c_cond"), 0.7f, 14);
        r.Check("ws (psi 0.7)", "ws", ws, 1e-4);
    }
}
