// Where the latents of a render come from: seeds (numpy RandomState(seed).randn, as EG3D's scripts), a z .npy [N,z_dim]
// or a ws .npy [N,num_ws,w_dim] / [num_ws,w_dim]. Seeds and z are mapped with ψ truncation, conditioned on the model's
// average camera unless another conditioning label is given. A file of the wrong shape is an error naming the file.
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Latents;

namespace My3DGen.Models.Api;

/// <summary>One latent to render: its name (the stem of its output files), the seed of its synthesis, and a factory of its ws [1, num_ws, w_dim].</summary>
public sealed record RenderLatent(string Name, int Seed, Func<Tensor> Ws);

/// <summary>How z latents are mapped to ws: truncation ψ on ws[:, :cutoff] and the conditioning camera (null: the model's average camera).</summary>
public sealed record MappingSettings(float Psi = 0.7f, int TruncationCutoff = 14, float[]? ConditioningCamera = null);

/// <summary>Builds the latents of a render from seeds or .npy files.</summary>
public static class LatentSources
{
    /// <summary>One latent per seed: z = numpy RandomState(seed).randn(z_dim), mapped with <paramref name="mapping"/>; named seedNNNN.</summary>
    public static IReadOnlyList<RenderLatent> FromSeeds(Eg3dGenerator generator, IReadOnlyList<int> seeds, MappingSettings mapping) =>
        seeds.Select(s => new RenderLatent($"seed{s:D4}", s,
            () => Map(generator, new NumpyRandomState((uint)s).Randn(generator.Config.ZDim), mapping))).ToList();

    /// <summary>One latent per row of a z .npy [N, z_dim] (or [z_dim]), mapped with <paramref name="mapping"/>; named zNNNN.</summary>
    /// <exception cref="FileFormatException">The file is not a .npy of that shape.</exception>
    public static IReadOnlyList<RenderLatent> FromZFile(Eg3dGenerator generator, string path, MappingSettings mapping)
    {
        int zDim = generator.Config.ZDim;
        var arr = NpyShapes.Read(path, $"[N,{zDim}]", [-1, zDim], [zDim]);
        return Enumerable.Range(0, arr.Data.Length / zDim).Select(i => new RenderLatent($"z{i:D4}", i,
            () => Map(generator, arr.Data.AsSpan(i * zDim, zDim).ToArray(), mapping))).ToList();
    }

    /// <summary>One latent per ws in a .npy [N, num_ws, w_dim] (or [num_ws, w_dim]), used as is; named wsNNNN.</summary>
    /// <exception cref="FileFormatException">The file is not a .npy of that shape.</exception>
    public static IReadOnlyList<RenderLatent> FromWsFile(Eg3dGenerator generator, string path)
    {
        int numWs = generator.Config.NumWs, wDim = generator.Config.WDim;
        var arr = NpyShapes.Read(path, $"[N,{numWs},{wDim}]", [-1, numWs, wDim], [numWs, wDim]);
        var be = generator.Backend;
        return Enumerable.Range(0, arr.Data.Length / (numWs * wDim)).Select(i => new RenderLatent($"ws{i:D4}", i,
            () => Tensor.FromArray(be, arr.Data.AsSpan(i * numWs * wDim, numWs * wDim), 1, numWs, wDim))).ToList();
    }

    static Tensor Map(Eg3dGenerator g, float[] z, MappingSettings m)
    {
        var be = g.Backend;
        var cond = m.ConditioningCamera ?? RenderViews.AverageCamera(g);
        return g.Mapping(Tensor.FromArray(be, z, 1, g.Config.ZDim), Tensor.FromArray(be, cond, 1, 25), m.Psi, m.TruncationCutoff);
    }
}
