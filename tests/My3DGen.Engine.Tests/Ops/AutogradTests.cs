// Autograd semantics: frozen weights get no gradient work but pass gradients through, shared uses
// accumulate, leaves own their gradients (taken over or copied, never shared), NoGrad records nothing, scopes release
// intermediates.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Tests.Ops;

public class AutogradTests
{
    static readonly CpuBackend Cpu = CpuBackend.Instance;

    [Test]
    public void FrozenWeightGetsNoGradientButInputDoes()
    {
        var rng = new Random(1);
        var x = Tensor.Randn(Cpu, rng, [1, 2, 5, 5]); x.RequiresGrad = true;
        var w = Tensor.Randn(Cpu, rng, [3, 2, 3, 3]); // frozen
        var y = Convolution.Conv2d(x, w, null, 1, 1);
        Assert.That(y.GradFn!.NeedsGrad, Is.EqualTo(new[] { true, false }), "the conv node must not ask for a weight gradient");
        y.Sum().Backward();
        Assert.That(w.Grad, Is.Null);
        Assert.That(x.Grad, Is.Not.Null);
        Assert.That(x.Grad!.ToArray().Any(v => v != 0));
    }

    [Test]
    public void SharedInputAccumulates()
    {
        var x = Tensor.FromArray(Cpu, [3f], 1); x.RequiresGrad = true;
        var y = x * x + x.Exp() * x; // d/dx = 2x + e^x + x e^x
        y.Sum().Backward();
        double expect = 2 * 3 + Math.Exp(3) * 4;
        Assert.That(x.Grad!.Item(), Is.EqualTo(expect).Within(1e-4 * expect));
    }

    [Test]
    public void LeavesOwnTheirGradients()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray(Cpu, [1f, 2f, 3f], 3); a.RequiresGrad = true;
        var b = Tensor.FromArray(Cpu, [4f, 5f, 6f], 3); b.RequiresGrad = true;
        var seed = Tensor.FromArray(Cpu, [1f, 1f, 1f], 3);
        // Add hands the same output gradient (the caller's seed) to both leaves: each must get its own copy.
        (a + b).Backward(seed);
        Assert.That(a.Grad!.Storage, Is.Not.SameAs(b.Grad!.Storage));
        Assert.That(a.Grad.Storage, Is.Not.SameAs(seed.Storage));
        a.Grad.Dispose(); a.Grad = null;
        Assert.That(b.Grad.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f }));
        Assert.That(seed.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f }));
        b.Grad.Dispose(); b.Grad = null;
        // Mul makes a fresh gradient per leaf (taken over); a second backward adds to it.
        (a * b).Backward(seed);
        (a * b).Backward(seed);
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 8f, 10f, 12f }));
        Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 4f, 6f }));
        scope.Dispose();
        Assert.That(a.Grad.ToArray(), Is.EqualTo(new[] { 8f, 10f, 12f }), "a gradient outlives the backward's and the caller's scope");
    }

    [Test]
    public void LaterGradientsAddInPlaceOnlyIntoAnUnsharedGradient()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray(Cpu, [1f, 2f, 3f], 3); w.RequiresGrad = true;
        var seed = Tensor.FromArray(Cpu, [1f, 1f, 1f], 3);
        // w reaches the output twice (w·w): two gradients of 1·w each, the second added into the first's storage.
        (w * w).Backward(seed);
        var first = w.Grad!;
        var storage = first.Storage;
        Assert.That(first.ToArray(), Is.EqualTo(new[] { 2f, 4f, 6f }));
        (w * w).Backward(seed);
        Assert.That(w.Grad, Is.SameAs(first), "an unshared gradient is accumulated in place");
        Assert.That(w.Grad!.Storage, Is.SameAs(storage));
        Assert.That(w.Grad.ToArray(), Is.EqualTo(new[] { 4f, 8f, 12f }));
        // A view of the gradient shares its storage: the next accumulation goes to a new tensor and the view keeps its values.
        var view = w.Grad.Reshape(1, 3);
        (w * w).Backward(seed);
        Assert.That(w.Grad!.Storage, Is.Not.SameAs(storage));
        Assert.That(w.Grad.ToArray(), Is.EqualTo(new[] { 6f, 12f, 18f }));
        Assert.That(view.ToArray(), Is.EqualTo(new[] { 4f, 8f, 12f }));
    }

    [Test]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray(Cpu, [1f], 1); x.RequiresGrad = true;
        Tensor y;
        using (GradMode.NoGrad()) y = x * x;
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
    }

    [Test]
    public void ScopeDisposesIntermediatesButKeepsKept()
    {
        Tensor a, kept;
        using (var scope = TensorScope.Begin())
        {
            a = Tensor.Ones(Cpu, 4);
            kept = scope.Keep(a + a);
        }
        Assert.That(a.IsDisposed, Is.True);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray(), Is.EqualTo(new[] { 2f, 2f, 2f, 2f }));
    }

    [Test]
    public void ViewsShareStorageWithoutCopy()
    {
        var x = Tensor.FromArray(Cpu, Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 3, 4);
        var t = x.Transpose(0, 1);
        var s = x.Slice(1, 1, 2);
        Assert.That(t.IsContiguous, Is.False);
        Assert.That(t.Shape, Is.EqualTo(new[] { 4, 3 }));
        Assert.That(s.ToArray(), Is.EqualTo(new[] { 1f, 2f, 5f, 6f, 9f, 10f }));
        x.Dispose();
        Assert.That(t.ToArray()[1], Is.EqualTo(4f), "a view keeps the storage alive after the base is disposed");
    }
}
