// Convolution work of one full-size forward, counted from the generator's own layers (weight shapes, resolutions, up
// flags) per ×2 up-conv path: GFLOP per image for the backbone and super-resolution stages and for their up-convs.
// Sub-pixel: 4·O parity kernels at the input resolution + the one-hot shuffle; transposed (EG3D): the stride-2
// transposed 3×3 conv + the 4×4 FIR on the output.
using My3DGen.Models;
using My3DGen.Models.Synthesis;

namespace My3DGen.Bench;

internal static class ConvWork
{
    /// <summary>(total, up-convs) GFLOP per image of the given blocks' convolutions.</summary>
    public static (double Total, double Up) Gflop(IEnumerable<SynthesisBlock> blocks, UpConvPath path)
    {
        double total = 0, up = 0;
        foreach (var b in blocks)
        {
            foreach (var layer in new[] { b.Conv0, b.Conv1 }.OfType<SynthesisLayer>())
            {
                double o = layer.OutChannels, i = layer.InChannels, res = layer.Resolution;
                if (layer.Up == 1) { total += 2 * o * i * 9 * res * res; continue; }
                double inPix = res / 2 * (res / 2);
                double f = path == UpConvPath.SubPixel
                    ? 2 * 4 * o * i * 9 * inPix + 2 * o * 4 * res * res                  // parity convs + one-hot 2×2 shuffle
                    : 2 * o * i * 9 * inPix + 2 * o * 16 * res * res;                    // transposed 3×3 (stride 2) + 4×4 FIR
                total += f; up += f;
            }
            total += 2.0 * b.ToRgb.OutChannels * b.ToRgb.InChannels * b.Resolution * b.Resolution;
            if (b.Up) total += 2.0 * b.ToRgb.OutChannels * 16 * b.Resolution * b.Resolution;  // skip-image upsample2d (4×4 FIR)
        }
        return (total / 1e9, up / 1e9);
    }

    /// <summary>One line per path: backbone, SR and their sum, with the up-conv share.</summary>
    public static void Print(Eg3dGenerator g)
    {
        foreach (var path in new[] { UpConvPath.SubPixel, UpConvPath.Transposed })
        {
            var bb = Gflop(g.Backbone.Blocks, path);
            var sr = Gflop(g.SuperResolution.Blocks, path);
            Console.WriteLine($"  conv work per image, {path,-10} up-conv: backbone {bb.Total:F1} + SR {sr.Total:F1} = {bb.Total + sr.Total:F1} GFLOP " +
                $"(up-convs {bb.Up + sr.Up:F1})");
        }
    }
}
