// IlgpuBackend: the separable 4-tap FIR of the ×2 up-conv (FirKernels.Apply), compiled on first use.
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;
using AV = ILGPU.ArrayView<float>;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    Action<KernelConfig, AV, AV, AV, FirGeometry, int>? _firKernel;

    /// <inheritdoc/>
    public void Fir2d(in FirGeometry g, Storage x, Storage? bias, Storage y)
    {
        g.Validate();
        var xs = Own(x, nameof(x)); var ys = Own(y, nameof(y));
        Need(xs, 0, g.InputLength, nameof(x)); Need(ys, 0, g.OutputLength, nameof(y));
        var bs = bias == null ? null : Own(bias, nameof(bias));
        if (bs != null) Need(bs, 0, g.Channels, nameof(bias));
        if (g.OutputLength == 0) return;
        _firKernel ??= _accelerator.LoadStreamKernel<AV, AV, AV, FirGeometry, int>(FirKernels.Apply);
        _firKernel(_kernels.Linear(g.OutputLength), xs.View, (bs ?? ys).View, ys.View, g, bs == null ? 0 : 1);
    }
}
