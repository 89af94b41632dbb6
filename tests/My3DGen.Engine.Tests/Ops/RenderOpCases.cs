// Op cases of the volume-render ops (fused tri-plane decode, ray march): small odd shapes with fixed rays and depths,
// some points outside the planes (zero padding) and interleaved coarse/fine depth lists, against the plain double
// references in My3DGen.Kernels. OpCases.All includes them, so forward tests and gradient checks run on every backend.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ops;

public static class RenderOpCases
{
    /// <summary>Tri-plane fixture: N = 2 plane sets of 6×5, 3 rays per item, 4 depths per ray, box_warp 1.</summary>
    public static readonly TriplaneParams Tri = new() { Batch = 2, Height = 6, Width = 5, RaysPerBatch = 3, Samples = 4, Scale = 2f };

    /// <summary>Rays [6, 6]: origins in [−0.6, 0.6]³, unit directions; depths [6, 4] ascending in [0, 0.6].</summary>
    public static (float[] Rays, float[] Depths) TriRays(int seed = 7)
    {
        var rng = new Random(seed);
        int rays = Tri.Batch * Tri.RaysPerBatch;
        var r = new float[rays * 6];
        var d = new float[rays * Tri.Samples];
        for (int i = 0; i < rays; i++)
        {
            double x = rng.NextDouble() * 2 - 1, y = rng.NextDouble() * 2 - 1, z = rng.NextDouble() * 2 - 1, n = Math.Sqrt(x * x + y * y + z * z);
            for (int a = 0; a < 3; a++) r[i * 6 + a] = (float)(rng.NextDouble() * 1.2 - 0.6);
            r[i * 6 + 3] = (float)(x / n); r[i * 6 + 4] = (float)(y / n); r[i * 6 + 5] = (float)(z / n);
            for (int k = 0; k < Tri.Samples; k++) d[i * Tri.Samples + k] = (float)(0.15 * k + 0.1 * rng.NextDouble());
        }
        return (r, d);
    }

    /// <summary>Coarse depths [3, 5] and fine depths [3, 4], each ascending, interleaved (one tie between the lists).</summary>
    public static (float[] Coarse, float[] Fine) MarchDepths()
    {
        var rng = new Random(11);
        var c = new float[3 * 5];
        var f = new float[3 * 4];
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < 5; k++) c[r * 5 + k] = 2f + 0.25f * k + (float)(0.2 * rng.NextDouble());
            for (int k = 0; k < 4; k++) f[r * 4 + k] = 2.1f + 0.27f * k + (float)(0.1 * rng.NextDouble());
        }
        f[4] = c[6];    // a tie: the coarse sample comes first
        return (c, f);
    }

    static Tensor Decode(Tensor[] t)
    {
        var (rays, depths) = TriRays();
        var be = t[0].Backend;
        return VolumeRendering.TriplaneDecode(t[0], t[1], Tensor.FromArray(be, rays, rays.Length / 6, 6),
            Tensor.FromArray(be, depths, depths.Length / Tri.Samples, Tri.Samples), 1f);
    }

    static RefTensor DecodeReference(RefTensor[] x)
    {
        var (rays, depths) = TriRays();
        return new RefTensor([Tri.Points, TriplaneLayout.Outputs], TriplaneReference.Decode(x[0].Data, x[1].Data, rays, depths, Tri));
    }

    static Tensor March(Tensor[] t, bool fine, bool whiteBack)
    {
        var (c, f) = MarchDepths();
        var be = t[0].Backend;
        var dc = Tensor.FromArray(be, c, 3, 5);
        return fine ? VolumeRendering.March(t[0], dc, t[1], Tensor.FromArray(be, f, 3, 4), whiteBack)
                    : VolumeRendering.March(t[0], dc, null, null, whiteBack);
    }

    static RefTensor MarchReference(RefTensor[] x, bool fine, bool whiteBack)
    {
        var (c, f) = MarchDepths();
        var p = new RayMarchParams { Rays = 3, Coarse = 5, Fine = fine ? 4 : 0, WhiteBack = whiteBack ? 1 : 0 };
        return new RefTensor([3, RayMarchLayout.OutputRow], RayMarchReference.March(x[0].Data, c, fine ? x[1].Data : null, fine ? f : null, p).Output);
    }

    public static IEnumerable<OpCase> All()
    {
        yield return new(OpKind.TriplaneDecode, "2x6x5-planes", [[2, 3, 6, 5, 32], [TriplaneLayout.DecoderSize]], Decode, DecodeReference,
            Hi: 0.6, Tolerance: 1e-5);
        yield return new(OpKind.RayMarch, "coarse+fine", [[3, 5, 33], [3, 4, 33]], t => March(t, true, false), x => MarchReference(x, true, false),
            Tolerance: 1e-5, GradEps: 1e-3f);
        yield return new(OpKind.RayMarch, "coarse-only-white-back", [[3, 5, 33]], t => March(t, false, true), x => MarchReference(x, false, true),
            Tolerance: 1e-5, GradEps: 1e-3f);
    }
}
