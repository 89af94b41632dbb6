// The shape catalog shared by every backend's rows: GEMM sizes, the EG3D synthesis-network convolutions and the
// streaming vector length, so rows from different backends compare like with like.
using My3DGen.Kernels;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Bench.Kernels;

public static class KernelShapes
{
    /// <summary>Square GEMM sizes (M = N = K).</summary>
    public static int[] GemmSizes(bool quick) => quick ? [256, 512] : [256, 512, 1024];

    /// <summary>3×3, stride 1, pad 1 convolutions of the EG3D generator at batch 1 and 4.</summary>
    public static IEnumerable<ConvGeometry> Convs(bool quick)
    {
        var layers = new (int Channels, int Size)[] { (512, 64), (256, 128), (128, 256) };
        foreach (var batch in quick ? new[] { 1 } : [1, 4])
            foreach (var (c, s) in layers)
                yield return new ConvGeometry(batch, c, s, s, c, 3, stride: 1, pad: 1);
    }

    /// <summary>Convolution for the backward-pass rows.</summary>
    public static ConvGeometry BackwardConv => new(1, 256, 128, 128, 256, 3, stride: 1, pad: 1);

    /// <summary>Streaming (memory-bound) vector length: 2^26 floats = 256 MiB per vector, beyond even a large L3.</summary>
    public const int StreamLength = 1 << 26;

    public static string Describe(ConvGeometry g) =>
        $"{g.C}→{g.O} {g.KH}x{g.KW} @{g.H}x{g.W} n{g.N}";
}
