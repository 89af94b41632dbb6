// im2col B panels for small stride-1 images (8², 16²: EG3D's 512-channel layers): the images are first copied once into
// a zero-padded, modulated buffer, so each panel row of tap (i, j) is a few plain copies of whole output rows (8 floats
// at 8²) with no bounds, clears or scaling per row; Im2ColPacker's per-row clamping dominated at these sizes.
using System.Runtime.Intrinsics;

namespace My3DGen.Engine.Backends.Cpu;

internal sealed unsafe class PaddedIm2ColPacker : GemmBPacker, IDisposable
{
    /// <summary>Largest image (pixels) this packer is used for: the padded copy stays small.</summary>
    public const int MaxPixels = 16 * 16;

    /// <summary>
    /// B panels of the stride-1 k×k im2col (padding pad) of x [batches, channels, h, w]: this packer for images of at most
    /// <see cref="MaxPixels"/> pixels, else Im2ColPacker. The caller disposes the result when it is IDisposable.
    /// </summary>
    public static GemmBPacker ForStride1(float* x, long imageStride, int batches, int channels, int h, int w, int k, int pad,
        float* scales = null, long scaleStride = 0) =>
        (long)h * w <= MaxPixels
            ? new PaddedIm2ColPacker(x, imageStride, batches, channels, h, w, k, k, pad, pad, scales, scaleStride)
            : new Im2ColPacker(x, imageStride, h, w, k, k, 1, 1, pad, pad, scales, scaleStride);

    private float[]? _padded;
    private readonly int _channels, _hp, _wp, _wo, _kh, _kw;

    /// <summary>
    /// Images x [batches, channels, h, w] (imageStride floats apart), padding (ph, pw), kernel kh × kw, stride 1; with
    /// scales, channel c of image b is multiplied by scales[b·scaleStride + c].
    /// </summary>
    public PaddedIm2ColPacker(float* x, long imageStride, int batches, int channels, int h, int w, int kh, int kw, int ph, int pw,
        float* scales = null, long scaleStride = 0)
    {
        (_channels, _hp, _wp, _kh, _kw) = (channels, h + 2 * ph, w + 2 * pw, kh, kw);
        _wo = _wp - kw + 1;
        long plane = (long)_hp * _wp;
        _padded = CpuArrayRecycler.Rent(checked((int)(batches * channels * plane)));
        fixed (float* dst = _padded)
            for (int b = 0; b < batches; b++)
                for (int c = 0; c < channels; c++)
                {
                    float* p = dst + ((long)b * channels + c) * plane, src = x + b * imageStride + (long)c * h * w;
                    float s = scales == null ? 1f : scales[b * scaleStride + c];
                    new Span<float>(p, (int)plane).Clear();
                    for (int y = 0; y < h; y++) CpuVectorOps.Scale(src + (long)y * w, s, p + (long)(y + ph) * _wp + pw, w);
                }
    }

    public override void Pack(int batch, int k0, int kc, int n0, int nLen, int NR, float* dst)
    {
        fixed (float* padded = _padded ?? throw new ObjectDisposedException(nameof(PaddedIm2ColPacker)))
            Im2ColPanels.Pack(new Rows(this, padded + (long)batch * _channels * _hp * _wp), _kh, _kw, _wo, k0, kc, n0, nLen, NR, dst);
    }

    /// <summary>Rows of one padded image: whole output rows copied, no bounds.</summary>
    private readonly struct Rows : IIm2ColRowWriter
    {
        private readonly PaddedIm2ColPacker _p;
        private readonly float* _image;

        public Rows(PaddedIm2ColPacker p, float* image)
        {
            _p = p;
            _image = image;
        }

        public void Write(int c, int i, int j, int oh, int ow, int width, float* d)
        {
            int wp = _p._wp, wo = _p._wo;
            float* plane = _image + (long)c * _p._hp * wp + j;
            for (int done = 0, row = oh, col = ow; done < width; row++, col = 0)
            {
                int run = Math.Min(width - done, wo - col);
                float* src = plane + (long)(row + i) * wp + col;
                if (run == 8) Vector256.Load(src).Store(d + done);
                else new ReadOnlySpan<float>(src, run).CopyTo(new Span<float>(d + done, run));
                done += run;
            }
        }
    }

    /// <summary>Returns the padded copy; the packer must not be used afterwards.</summary>
    public void Dispose()
    {
        var p = Interlocked.Exchange(ref _padded, null);
        if (p != null) CpuArrayRecycler.Return(p);
    }
}
