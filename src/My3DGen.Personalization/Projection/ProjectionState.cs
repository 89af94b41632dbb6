// The optimisation state of one photo: its latent (w [1,1,512] or W+ [1,14,512]), its 13 backbone noise maps, its own Adam,
// its random stream (noise-map init, W noise) and its prepared target. Photos never share state, so batching is exact.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Models;

namespace My3DGen.Personalization.Projection;

/// <summary>Everything one photo's optimisation carries between steps. Dispose to free the tensors.</summary>
internal sealed class ProjectionState : IDisposable
{
    public ProjectionTarget Target { get; }
    public WStatistics Stats { get; }
    public Tensor W { get; }
    public Dictionary<string, Tensor> NoiseMaps { get; } = new();
    public Adam Optimizer { get; }
    public Random Rng { get; }
    public Tensor TargetImage { get; }
    public Tensor TargetForLoss { get; }

    public ProjectionState(Eg3dGenerator gen, ProjectionTarget target, WStatistics stats, ProjectionOptions options, ProjectionLoss loss)
    {
        Target = target; Stats = stats;
        var be = gen.Backend;
        int res = gen.Config.ImgResolution, numWs = gen.Config.NumWs, wDim = gen.Config.WDim;
        Rng = new Random(StreamSeed(options.Seed, target.Name));
        using (GradMode.NoGrad())
        {
            var start = options.Space == LatentSpace.W ? stats.Mean : Enumerable.Range(0, numWs).SelectMany(_ => stats.Mean).ToArray();
            W = Tensor.FromArray(be, start, 1, options.Space == LatentSpace.W ? 1 : numWs, wDim);
            W.RequiresGrad = true;
            if (options.NoiseMaps != NoiseMapMode.Const)
                foreach (var layer in NoiseLayers(gen))
                {
                    var map = Tensor.Randn(be, Rng, [1, 1, layer.Resolution, layer.Resolution]);
                    map.RequiresGrad = options.NoiseMaps == NoiseMapMode.Optimize;
                    NoiseMaps[layer.Name] = map;
                }
            TargetImage = Tensor.FromArray(be, target.Image, 1, 3, res, res);
            TargetForLoss = loss.Prepare(TargetImage).Contiguous(forceCopy: true);
        }
        var trained = new List<Tensor> { W };
        if (options.NoiseMaps == NoiseMapMode.Optimize) trained.AddRange(NoiseMaps.Values);
        Optimizer = new Adam(trained, options.LearningRate, ProjectionOptions.Beta1, ProjectionOptions.Beta2, ProjectionOptions.Epsilon);
    }

    /// <summary>The backbone layers with per-layer noise (13 for EG3D: b4.conv1, then conv0 and conv1 of b8…b256), in order.</summary>
    internal static IEnumerable<(string Name, int Resolution)> NoiseLayers(Eg3dGenerator gen) =>
        gen.Backbone.Blocks.SelectMany(b => new[] { b.Conv0, b.Conv1 }).OfType<Models.Synthesis.SynthesisLayer>().Select(l => (l.Name, l.Resolution));

    /// <summary>ws [1, num_ws, w_dim] values of the current latent plus <paramref name="offset"/> (same shape as W), W repeated.</summary>
    public float[] Ws(int numWs, float[]? offset = null)
    {
        var w = W.ToArray();
        if (offset != null) for (int i = 0; i < w.Length; i++) w[i] += offset[i];
        return W.Shape[1] == numWs ? w : Enumerable.Range(0, numWs).SelectMany(_ => w).ToArray();
    }

    /// <summary>A stable per-photo seed from the run seed and the photo's name (FNV-1a), so batching and order do not matter.</summary>
    internal static int StreamSeed(int seed, string name)
    {
        uint h = 2166136261u ^ (uint)seed;
        foreach (char ch in name) { h ^= ch; h *= 16777619u; }
        return (int)(h & 0x7fffffff);
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        W.Grad?.Dispose(); W.Dispose();
        foreach (var m in NoiseMaps.Values) { m.Grad?.Dispose(); m.Dispose(); }
        TargetImage.Dispose(); TargetForLoss.Dispose();
    }
}
