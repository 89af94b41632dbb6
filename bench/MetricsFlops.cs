// Multiply-add counts (×2 = FLOPs) of the metric networks' convolutions and linear layers, from the same layer
// tables the networks run (torchvision feature steps, the IR-SE50 unit list), for the GFLOP/s column of the bench.
using My3DGen.Models.Identity;
using My3DGen.Models.Perceptual;

namespace My3DGen.Bench;

internal static class Flops
{
    /// <summary>FLOPs of one image through the torchvision feature stack up to its last tap.</summary>
    public static double Features(LpipsNet net, int side)
    {
        double total = 0; int h = side;
        foreach (var step in LpipsBackbone.Steps(net))
        {
            if (step is MaxPoolStep mp) { h = (h - mp.Kernel) / mp.Stride + 1; continue; }
            var c = (ConvStep)step;
            h = (h + 2 * c.Padding - c.Kernel) / c.Stride + 1;
            total += 2.0 * c.Out * c.In * c.Kernel * c.Kernel * h * h;
        }
        return total;
    }

    /// <summary>FLOPs of one 112² image through ArcFace IR-SE50.</summary>
    public static double ArcFace()
    {
        double total = 2.0 * 64 * 3 * 9 * 112 * 112; int h = 112;
        foreach (var u in ArcFaceLayout.Units)
        {
            int o = u.Stride == 2 ? h / 2 : h;
            total += 2.0 * u.Depth * u.In * 9 * h * h + 2.0 * u.Depth * u.Depth * 9 * o * o;
            if (u.ConvShortcut) total += 2.0 * u.Depth * u.In * o * o;
            h = o;
        }
        return total + 2.0 * 25088 * 512;
    }
}
