// A memory-bounded forward + backward of one training sample through EG3D, exact up to float summation order. The
// backbone runs with its graph kept and its planes are detached; the render, the super-resolution and the losses run
// and back-propagate into the detached planes and the decoder; finally the planes' gradient flows through the backbone.
// Fused render path (default): the device render kernels record a small graph (inputs and sample rows only), so the
// render runs whole and nothing is read back to the host between the forward and the end of the backward. Composed
// path (the reference, and a decoder with an adapter): rendered without a graph ray chunk by ray chunk, SR and losses on
// the detached feature image, then each chunk re-rendered with a graph (same jitter: one seeded generator per chunk).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Rendering;
using My3DGen.Models.Synthesis;

namespace My3DGen.Personalization.Training;

/// <summary>Forward + backward of one training sample in bounded memory, through the generator's own stages.</summary>
internal static class StagedBackward
{
    /// <summary>Rays re-rendered per graph chunk on the composed path (bounds the render stage's graph).</summary>
    public const int RaysPerChunk = 1024;

    /// <summary>Outputs of the loss callback: the scalar loss (already scaled as wanted) plus anything to report.</summary>
    public delegate Tensor LossFunction(Tensor image, Tensor imageRaw);

    /// <summary><see cref="RunOnDevice"/>, then reads the loss value (one read-back, after the backward).</summary>
    public static float Run(Eg3dGenerator gen, Tensor ws, float[] camera, int neuralResolution, bool deterministic, int seed, LossFunction loss,
        IReadOnlyDictionary<string, Tensor>? noiseMaps = null, RenderPath path = RenderPath.Fused)
    {
        using var scope = TensorScope.Begin();
        return RunOnDevice(gen, ws, camera, neuralResolution, deterministic, seed, loss, noiseMaps, path).Item();
    }

    /// <summary>Runs the sample forward and backward; accumulates gradients into every tensor that requires grad and returns
    /// the loss as a device scalar owned by the caller's scope (nothing is read back). <paramref name="ws"/> [1,14,512] and
    /// <paramref name="camera"/> (25 floats) of one sample; <paramref name="noiseMaps"/> optionally replaces the backbone's
    /// stored const noise (layer name → map). Jittered sampling (<paramref name="deterministic"/> false) is seeded by
    /// <paramref name="seed"/>; the fused path uses the generator's rule (seed + 1).</summary>
    public static Tensor RunOnDevice(Eg3dGenerator gen, Tensor ws, float[] camera, int neuralResolution, bool deterministic, int seed,
        LossFunction loss, IReadOnlyDictionary<string, Tensor>? noiseMaps = null, RenderPath path = RenderPath.Fused)
    {
        using var scope = TensorScope.Begin();
        var planes = gen.SynthesizePlanes(ws, new SynthesisOptions { NoiseMode = NoiseMode.Const, NoiseMaps = noiseMaps });
        var planesLeaf = planes.Detach();
        planesLeaf.RequiresGrad = planes.RequiresGrad;
        var l = path == RenderPath.Fused && gen.FusedRenderer.Supports
            ? FusedStages(gen, planesLeaf, ws, camera, neuralResolution, deterministic, seed, loss)
            : ComposedStages(gen, planesLeaf, ws, camera, neuralResolution, deterministic, seed, loss);
        if (planes.RequiresGrad && planesLeaf.Grad != null) planes.Backward(planesLeaf.Grad);
        return scope.Keep(l);
    }

    /// <summary>Render (device kernels), super-resolution and loss in one graph from the detached planes; backward to them.</summary>
    static Tensor FusedStages(Eg3dGenerator gen, Tensor planesLeaf, Tensor ws, float[] camera, int r, bool deterministic, int seed, LossFunction loss)
    {
        var cam = Tensor.FromArray(gen.Backend, camera, 1, 25);
        var (features, _) = gen.FusedRenderer.Render(planesLeaf, cam, r, deterministic ? null : unchecked((uint)(seed + 1)));
        var featureImage = Eg3dGenerator.ToImage(features, r);
        var raw = featureImage.Slice(1, 0, 3).Contiguous();
        var l = loss(gen.SuperResolve(raw, featureImage, ws, seed), raw);
        if (l.RequiresGrad) l.Backward();
        return l;
    }

    /// <summary>The composed reference: render chunks without a graph, SR + loss on the detached feature image, then each
    /// chunk re-rendered with a graph and back-propagated with its slice of the feature-image gradient.</summary>
    static Tensor ComposedStages(Eg3dGenerator gen, Tensor planesLeaf, Tensor ws, float[] camera, int neuralResolution, bool deterministic, int seed,
        LossFunction loss)
    {
        var rays = RaySampler.Sample(camera, 1, neuralResolution);
        int m = rays.Rays;
        var chunks = new List<Tensor>();
        using (GradMode.NoGrad())
        {
            var flat = FlatPlanes.From(planesLeaf);
            for (int start = 0, k = 0; start < m; start += RaysPerChunk, k++)
                chunks.Add(RenderChunk(gen, flat, rays, start, Math.Min(RaysPerChunk, m - start), deterministic, seed, k));
        }
        var features = ShapeOps.Concat(chunks, 1);                                  // [1, M, C]
        var featureLeaf = Eg3dGenerator.ToImage(features, neuralResolution).Contiguous(forceCopy: true);
        featureLeaf.RequiresGrad = true;

        var raw = featureLeaf.Slice(1, 0, 3).Contiguous();
        var l = loss(gen.SuperResolve(raw, featureLeaf, ws, seed), raw);
        l.Backward();
        var gradFeatures = featureLeaf.Grad!.Reshape(1, features.Shape[2], m).Permute(0, 2, 1).Contiguous();   // [1, M, C]

        if (planesLeaf.RequiresGrad || gen.Decoder.Hidden.Weight.RequiresGrad || gen.Decoder.Output.Weight.RequiresGrad)
        {
            for (int start = 0, k = 0; start < m; start += RaysPerChunk, k++)
            {
                using var chunkScope = TensorScope.Begin();
                int count = Math.Min(RaysPerChunk, m - start);
                // Each chunk gets its own flattened view of the planes: a shared one would be freed by the first backward.
                var f = RenderChunk(gen, FlatPlanes.From(planesLeaf), rays, start, count, deterministic, seed, k);
                f.Backward(gradFeatures.Slice(1, start, count).Contiguous());
            }
        }
        return l;
    }

    /// <summary>Features [1, count, C] of rays [start, start+count) with the chunk's own depth-jitter generator.</summary>
    static Tensor RenderChunk(Eg3dGenerator gen, FlatPlanes flat, RayBundle rays, int start, int count, bool deterministic, int seed, int chunk)
    {
        var sub = new RayBundle(1, count, rays.Origins.AsSpan(start * 3, count * 3).ToArray(), rays.Directions.AsSpan(start * 3, count * 3).ToArray());
        var settings = new RenderSettings(deterministic ? null : new Random(unchecked(seed * 1_000_003 + chunk)), count);
        return gen.Renderer.Render(flat, sub, settings).Features;
    }
}
