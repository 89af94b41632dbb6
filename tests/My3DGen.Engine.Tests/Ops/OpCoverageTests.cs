// Proves the op set is closed and fully covered: every OpKind has an OpTable row, a test case with a
// reference, a gradient rule (and so a gradient check) when differentiable, and every primitive the
// table names exists on IBackend, which both the managed CPU and the ILGPU backends implement.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;

namespace My3DGen.Engine.Tests.Ops;

public class OpCoverageTests
{
    [Test]
    public void EveryOpHasTableRowCaseAndGradientRule()
    {
        var cases = OpCases.All().ToList();
        foreach (var kind in Enum.GetValues<OpKind>())
        {
            Assert.That(OpTable.Contains(kind), $"{kind}: no OpTable row");
            var info = OpTable.Get(kind);
            Assert.That(cases.Any(c => c.Kind == kind), $"{kind}: no test case (reference) in OpCases");
            Assert.That(info.Backward, Is.Not.Null, $"{kind}: no gradient rule");
            Assert.That(cases.Any(c => c.Kind == kind && c.Differentiable), $"{kind}: no gradient-check case");
            Assert.That(info.Primitives, Is.Not.Empty, $"{kind}: names no backend primitive");
        }
    }

    [Test]
    public void EveryNamedPrimitiveIsImplementedByEveryBackend()
    {
        var methods = typeof(IBackend).GetMethods().Select(m => m.Name).ToHashSet();
        var backendTypes = typeof(IBackend).Assembly.GetTypes()
            .Where(t => typeof(IBackend).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract).ToList();
        Assert.That(backendTypes.Select(t => t.Name), Does.Contain("CpuBackend"));
        Assert.That(backendTypes.Select(t => t.Name), Does.Contain("IlgpuBackend"), "the ILGPU backend must implement the same interface");
        foreach (var kind in Enum.GetValues<OpKind>())
            foreach (var p in OpTable.Get(kind).Primitives)
                Assert.That(methods, Does.Contain(p), $"{kind}: primitive {p} is not an IBackend method");
    }
}
