// IlgpuBackend: the Adam step (bias corrections folded into the kernel parameters on the host).
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void AdamStep(in AdamArgs args, Storage p, Storage g, Storage m, Storage v, int n)
    {
        if (args.Step < 1) throw new ArgumentOutOfRangeException(nameof(args), "Adam step is 1-based");
        var ps = Own(p, nameof(p)); var gs = Own(g, nameof(g)); var ms = Own(m, nameof(m)); var vs = Own(v, nameof(v));
        Need(ps, 0, n, nameof(p)); Need(gs, 0, n, nameof(g)); Need(ms, 0, n, nameof(m)); Need(vs, 0, n, nameof(v));
        if (n == 0) return;
        var a = AdamParams.Create(args.LearningRate, args.Beta1, args.Beta2, args.Eps, args.WeightDecay, args.Step);
        _kernels.Adam.Value(_kernels.Linear(n), ps.View, gs.View, ms.View, vs.View, n, a);
    }
}
