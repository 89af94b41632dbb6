// The CPU rows of the kernel table: the naive double-accumulating reference GEMM (a baseline, single-threaded) and
// the managed SIMD engine kernels (SimdGemm, im2col+GEMM convolution forward/backward, streaming axpy).
using My3DGen.Kernels;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Bench.Kernels;

public sealed class CpuReferenceBackend : IBenchBackend
{
    public string Name => "cpu naive 1T";

    public IEnumerable<BenchCase> Cases(bool quick)
    {
        // 512³ takes a few seconds per call; one timed run is enough for a baseline.
        foreach (var n in quick ? new[] { 256 } : [256, 512])
            yield return new BenchCase("gemm", $"{n}³", Name, WorkUnit.Flops, 2.0 * n * n * n, () =>
            {
                var (a, b, c) = (BenchData.Uniform(n * n, 1), BenchData.Uniform(n * n, 2), new float[n * n]);
                return () => GemmReference.Run(a, b, c, GemmParams.Create(false, false, n, n, n, 1f, 0, n, 0, 0, n, 0, 0f, 0, n, 0));
            }, BudgetSeconds: 1, MinRuns: 1);
    }
}

public sealed class CpuSimdBackend : IBenchBackend
{
    public string Name => $"cpu {SimdGemm.KernelName} {SimdGemm.MaxThreads}T";

    public IEnumerable<BenchCase> Cases(bool quick)
    {
        foreach (var n in KernelShapes.GemmSizes(quick))
            yield return new BenchCase("gemm", $"{n}³", Name, WorkUnit.Flops, 2.0 * n * n * n, () =>
            {
                var (a, b, c) = (BenchData.Uniform(n * n, 1), BenchData.Uniform(n * n, 2), new float[n * n]);
                return () => SimdGemm.Gemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            });

        foreach (var g in KernelShapes.Convs(quick))
            yield return new BenchCase("conv2d fwd", KernelShapes.Describe(g), Name, WorkUnit.Flops, g.Flops, () =>
            {
                var (x, w, bias, y) = (BenchData.Uniform(g.InputLength, 1), BenchData.Uniform(g.WeightLength, 2),
                    BenchData.Uniform(g.O, 3), new float[g.OutputLength]);
                return () => CpuConv2d.Conv2dForward(g, x, w, bias, y);
            });

        if (!quick)
        {
            var bg = KernelShapes.BackwardConv;
            yield return new BenchCase("conv2d bwd-input", KernelShapes.Describe(bg), Name, WorkUnit.Flops, bg.Flops, () =>
            {
                var (gy, w, gx) = (BenchData.Uniform(bg.OutputLength, 1), BenchData.Uniform(bg.WeightLength, 2), new float[bg.InputLength]);
                return () => CpuConv2d.Conv2dBackwardInput(bg, gy, w, gx);
            });
            yield return new BenchCase("conv2d bwd-weight", KernelShapes.Describe(bg), Name, WorkUnit.Flops, bg.Flops, () =>
            {
                var (gy, x, gw) = (BenchData.Uniform(bg.OutputLength, 1), BenchData.Uniform(bg.InputLength, 2), new float[bg.WeightLength]);
                return () => CpuConv2d.Conv2dBackwardWeight(bg, gy, x, gw);
            });
        }

        int len = KernelShapes.StreamLength;
        yield return new BenchCase("axpy y+=a·x", $"{len >> 20}M floats", Name, WorkUnit.Bytes, 3.0 * sizeof(float) * len, () =>
        {
            var (x, y) = (BenchData.Uniform(len, 1), BenchData.Uniform(len, 2));
            return () => StreamKernels.Triad(y, x, y, 1e-3f);
        }, Note: "bytes = read x, read y, write y");
    }
}
