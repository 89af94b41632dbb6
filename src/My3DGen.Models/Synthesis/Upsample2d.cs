// upfirdn2d.upsample2d with EG3D's [1,3,3,1] filter (up 2, pad (2,1), gain 4) for the skip image:
// out[2m] = ¼x[m−1] + ¾x[m], out[2m+1] = ¾x[m] + ¼x[m+1], zero outside. Implemented as a depthwise
// (groups = C) stride-2 transposed conv with the separable kernel [¼,¾,¾,¼]⊗[¼,¾,¾,¼] and padding 1.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Synthesis;

internal static class Upsample2d
{
    static readonly Dictionary<(IBackend, int), Tensor> Kernels = new();

    /// <summary>x [N,C,H,W] → [N,C,2H,2W].</summary>
    public static Tensor Forward(Tensor x)
    {
        int c = x.Shape[1];
        return Convolution.ConvTranspose2d(x, Kernel(x.Backend, c), null, stride: 2, padding: 1, groups: c);
    }

    static Tensor Kernel(IBackend backend, int channels)
    {
        lock (Kernels)
        {
            if (Kernels.TryGetValue((backend, channels), out var t)) return t;
            float[] f = [0.25f, 0.75f, 0.75f, 0.25f];
            var k = new float[channels * 16];
            for (int ch = 0; ch < channels; ch++)
                for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) k[ch * 16 + i * 4 + j] = f[i] * f[j];
            using (Engine.Autograd.GradMode.NoGrad())
            using (var s = TensorScope.Begin()) t = s.Forget(Tensor.FromArray(backend, k, channels, 1, 4, 4));
            Kernels[(backend, channels)] = t;
            return t;
        }
    }
}
