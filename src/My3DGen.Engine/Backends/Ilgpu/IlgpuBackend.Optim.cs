// IlgpuBackend: the Adam step (bias corrections folded into AdamParams on the host).
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void AdamStep(in AdamParams args, Storage p, Storage g, Storage m, Storage v, int n)
    {
        p.MarkWritten(); m.MarkWritten(); v.MarkWritten();
        var ps = Own(p, nameof(p)); var gs = Own(g, nameof(g)); var ms = Own(m, nameof(m)); var vs = Own(v, nameof(v));
        Need(ps, 0, n, nameof(p)); Need(gs, 0, n, nameof(g)); Need(ms, 0, n, nameof(m)); Need(vs, 0, n, nameof(v));
        if (n == 0) return;
        _kernels.Adam.Value(_kernels.Linear(n), ps.View, gs.View, ms.View, vs.View, n, args);
    }
}
