// Bad input raises typed exceptions that name the op and the shapes.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Tests.Ops;

public class ErrorTests
{
    static readonly CpuBackend Cpu = CpuBackend.Instance;

    [Test]
    public void ShapeMismatchNamesOpAndShapes()
    {
        var a = Tensor.Zeros(Cpu, 2, 3); var b = Tensor.Zeros(Cpu, 4, 5);
        var ex = Assert.Throws<ShapeMismatchException>(() => a.MatMul(b))!;
        Assert.That(ex.Message, Does.Contain("matmul").And.Contain("[2,3]").And.Contain("[4,5]"));
        var ex2 = Assert.Throws<ShapeMismatchException>(() => { _ = Tensor.Zeros(Cpu, 2, 3) + Tensor.Zeros(Cpu, 4); })!;
        Assert.That(ex2.Message, Does.Contain("Add").And.Contain("[2,3]").And.Contain("[4]"));
        var ex3 = Assert.Throws<ShapeMismatchException>(() => Convolution.Conv2d(Tensor.Zeros(Cpu, 1, 3, 5, 5), Tensor.Zeros(Cpu, 2, 4, 3, 3)))!;
        Assert.That(ex3.Message, Does.Contain("conv2d").And.Contain("[1,3,5,5]").And.Contain("[2,4,3,3]"));
        Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(Cpu, 2, 3).Reshape(4, 2));
    }

    [Test]
    public void WrongDTypeIsTyped()
    {
        var idx = Tensor.FromInts(Cpu, [0, 1], 2);
        var ex = Assert.Throws<DTypeMismatchException>(() => { _ = idx + idx; })!;
        Assert.That(ex.Message, Does.Contain("Add").And.Contain("Int32"));
        var ex2 = Assert.Throws<DTypeMismatchException>(() => Indexing.IndexSelect(Tensor.Zeros(Cpu, 3), 0, Tensor.Zeros(Cpu, 2)))!;
        Assert.That(ex2.Message, Does.Contain("index_select").And.Contain("Int32"));
    }

    [Test]
    public void DisposedTensorIsTyped()
    {
        var a = Tensor.Zeros(Cpu, 2, 3);
        a.Dispose();
        var ex = Assert.Throws<TensorDisposedException>(() => a.Exp())!;
        Assert.That(ex.Message, Does.Contain("Exp").And.Contain("[2,3]"));
    }

    [Test]
    public void BackwardTwiceIsTypedUnlessGraphRetained()
    {
        var x = Tensor.FromArray(Cpu, [1f, 2f], 2); x.RequiresGrad = true;
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 4f, 8f }), "retained graph accumulates twice");
        var ex = Assert.Throws<AutogradException>(() => loss.Backward())!;
        Assert.That(ex.Message, Does.Contain("second time"));
    }

    [Test]
    public void BackwardWithoutGradIsTyped()
    {
        var x = Tensor.FromArray(Cpu, [1f, 2f], 2);
        Assert.Throws<AutogradException>(() => x.Sum().Backward());
        var y = Tensor.FromArray(Cpu, [1f, 2f], 2); y.RequiresGrad = true;
        Assert.Throws<ShapeMismatchException>(() => (y * y).Backward());
    }

    [Test]
    public void IndexOutOfRangeIsTyped()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => Indexing.IndexSelect(Tensor.Zeros(Cpu, 3), 0, Tensor.FromInts(Cpu, [3], 1)))!;
        Assert.That(ex.Message, Does.Contain("index 3"));
    }
}
