// Every op case on every backend against its double-precision reference.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;

namespace My3DGen.Engine.Tests.Ops;

public class OpForwardTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from b in TestBackends.All()
        from c in OpCases.All()
        select new TestCaseData(b, c).SetName($"Forward({c}, {b.Kind})");

    [TestCaseSource(nameof(Cases))]
    public void MatchesReference(IBackend backend, OpCase c)
    {
        using var scope = TensorScope.Begin();
        var data = c.MakeInputs(seed: 1234);
        var inputs = data.Select((d, i) => Tensor.FromArray(backend, d, c.Shapes[i])).ToArray();
        var y = c.Forward(inputs);
        var expected = c.Reference(data.Select((d, i) => RefTensor.From(d, c.Shapes[i])).ToArray());
        Assert.That(y.Shape, Is.EqualTo(expected.Shape), "shape");
        var (maxAbs, _) = Compare.Close(y.ToArray(), expected.Data, c.Tolerance, c.Tolerance, c.ToString());
        TestContext.Out.WriteLine($"{c} on {backend.Kind}: max abs err {maxAbs:E2}");
    }
}
