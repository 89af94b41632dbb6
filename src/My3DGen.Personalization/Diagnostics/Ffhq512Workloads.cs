// The full-size workloads the GPU budgets and gpu-check measure: the ffhq512-128 generator with random weights,
// a 512² forward (optionally recording gradients w.r.t. ws, then backward), and a personalization trainer
// (LoRA r=1 + decoder, MSE + LPIPS-alex with random weights) on synthetic photos. Content does not matter here.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Training;

namespace My3DGen.Personalization.Diagnostics;

/// <summary>Full-size (ffhq512-128) forward and training-step workloads with random weights.</summary>
public static class Ffhq512Workloads
{
    /// <summary>The ffhq512-128 generator with seeded random weights on <paramref name="backend"/>.</summary>
    public static Eg3dGenerator Generator(IBackend backend, int seed = 0) => Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, seed, backend);

    /// <summary>ws [batch, 14, 512] (random, mapped with ψ 0.7) and cameras [batch, 25] spread over yaw.</summary>
    public static (Tensor Ws, Tensor Cameras) Inputs(Eg3dGenerator g, int batch, int seed = 0)
    {
        using var _ = GradMode.NoGrad();
        var be = g.Backend;
        var cams = Enumerable.Range(0, batch).SelectMany(i => CameraLabel.Create(0.3f * (i - batch / 2), 0f)).ToArray();
        var c = Tensor.FromArray(be, cams, batch, 25);
        var z = Tensor.Randn(be, new Random(seed + batch), [batch, g.Config.ZDim]);
        return (g.Mapping(z, c, 0.7f, 14), c);
    }

    /// <summary>One 512² forward of the whole batch (deterministic sampling, const noise). With <paramref name="withGrad"/> the
    /// forward records gradients w.r.t. ws and the mean image is back-propagated; otherwise it runs without recording.</summary>
    public static SynthesisResult Forward(Eg3dGenerator g, Tensor ws, Tensor cameras, bool withGrad)
    {
        if (!withGrad)
        {
            using var _ = GradMode.NoGrad();
            return g.Synthesize(ws, cameras);
        }
        var leaf = ws.Detach();
        leaf.RequiresGrad = true;
        var res = g.Synthesize(leaf, cameras);
        res.Image.Mean().Backward();
        return res;
    }

    /// <summary>A personalization trainer (LoRA r=1 + decoder, MSE + LPIPS-alex with random weights) over
    /// <paramref name="photos"/> synthetic 512² photos, training <paramref name="batch"/> samples per step; with
    /// <paramref name="trainDecoder"/> false the tri-plane decoder is frozen (no decoder gradients).</summary>
    public static Personalizer Trainer(Eg3dGenerator g, Lpips lpips, int batch, int photos = 4, bool trainDecoder = true) =>
        new(g, lpips, SyntheticPerson(g, photos),
            new PersonalizeOptions { Steps = int.MaxValue, BatchSize = batch, CheckpointEvery = 0, TrainDecoder = trainDecoder });

    /// <summary>Random "photos" at the model's resolution with frontal-ish cameras and random W anchors.</summary>
    public static PersonDataset SyntheticPerson(Eg3dGenerator g, int count)
    {
        var rng = new Random(1);
        int res = g.Config.ImgResolution;
        var samples = Enumerable.Range(0, count).Select(i => new PersonSample($"synthetic_{i}",
            Enumerable.Range(0, 3 * res * res).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), res,
            CameraLabel.Create(0.2f * (i - 1), 0f), Enumerable.Range(0, g.Config.NumWs * g.Config.WDim).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()))
            .ToList();
        return new PersonDataset(samples, g.Config.NumWs);
    }
}
