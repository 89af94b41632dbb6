// The FIR primitive of EG3D's ×2 up-conv (stride-2 transposed 3×3 conv, then this [1,3,3,1] filter), in its own
// part of the backend interface; the managed CPU and the ILGPU backends implement it in CpuBackend.Fir.cs / IlgpuBackend.Fir.cs.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends;

public partial interface IBackend
{
    /// <summary>y [Planes, OH, OW] = separable 4-tap FIR of x [Planes, H, W] with zero padding (+ bias[plane mod Channels]
    /// when given); see <see cref="FirGeometry"/>. x, y contiguous at offset 0; y overwritten.</summary>
    void Fir2d(in FirGeometry g, Storage x, Storage? bias, Storage y);
}
