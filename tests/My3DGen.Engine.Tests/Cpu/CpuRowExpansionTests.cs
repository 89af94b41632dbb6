// CpuRowExpansion against its definition (expanded[k] = values[first + k / inner]) for every short row length, row counts
// around the 16-row permute groups and the 64-row blocks, on the AVX-512 permute path and the portable fill; and the CPU
// backend's per-row elementwise path that uses it against per-element arithmetic (exact: one operation per element).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Tests.Cpu;

public class CpuRowExpansionTests
{
    [Test]
    public void ExpandsEveryRowLengthAndBlockSize([Values(false, true)] bool portable)
    {
        bool saved = CpuRowExpansion.ForcePortable;
        CpuRowExpansion.ForcePortable = portable;
        try
        {
            foreach (int inner in Enumerable.Range(1, 15))
                foreach (int rows in new[] { 1, 15, 16, 17, 63, 64, 65, 200 })
                {
                    var values = Enumerable.Range(0, rows).Select(r => r * 1.5f - 7f).ToArray();
                    var seen = new float[rows * inner];
                    var covered = new bool[rows];
                    CpuRowExpansion.ForBlocks(values, inner, (first, expanded) =>
                    {
                        Assert.That(expanded.Length % inner, Is.EqualTo(0));
                        expanded.CopyTo(seen.AsSpan(first * inner));
                        for (int r = 0; r < expanded.Length / inner; r++) covered[first + r] = true;
                    });
                    Assert.That(covered, Is.All.True, $"inner {inner}, rows {rows}");
                    for (int k = 0; k < seen.Length; k++)
                        Assert.That(seen[k], Is.EqualTo(values[k / inner]), $"inner {inner}, rows {rows}, element {k}");
                }
        }
        finally { CpuRowExpansion.ForcePortable = saved; }
    }

    [Test]
    public void RejectsRowsOutsideTheShortRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuRowExpansion.ForBlocks(new float[4], 16, (_, _) => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuRowExpansion.ForBlocks(new float[4], 0, (_, _) => { }));
    }

    [Test]
    public void PerRowProductsOfShortRowsAreExact([Values(3, 9, 15)] int inner)
    {
        var be = CpuBackend.Instance;
        using var scope = TensorScope.Begin();
        var rng = new Random(5);
        int rows = 1000;
        var a = Tensor.Randn(be, rng, [rows, inner]);
        var b = Tensor.Randn(be, rng, [rows, 1]);
        var y = (a * b).ToArray();
        var (av, bv) = (a.ToArray(), b.ToArray());
        for (int k = 0; k < y.Length; k++) Assert.That(y[k], Is.EqualTo(av[k] * bv[k / inner]), $"element {k}");
    }
}
