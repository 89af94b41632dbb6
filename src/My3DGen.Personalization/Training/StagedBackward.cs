// A memory-bounded forward + backward of one training sample through EG3D, exact up to float summation order:
// the backbone runs with its graph kept; the volume render runs without a graph, ray chunk by ray chunk; the
// super-resolution and the losses run with a graph on the detached feature image; then each ray chunk is rendered
// again with a graph (same depth jitter: every chunk has its own seeded generator) and back-propagated with its
// slice of the feature-image gradient into the planes and the decoder; finally the planes' gradient flows
// through the backbone. Peak memory is the largest of the three stages instead of their sum. Every stage is the
// generator's own (backbone, renderer, SuperResolve), so the noise and sampling rules exist once.
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
    /// <summary>Rays re-rendered per graph chunk (bounds the render stage's graph).</summary>
    public const int RaysPerChunk = 1024;

    /// <summary>Outputs of the loss callback: the scalar loss (already scaled as wanted) plus anything to report.</summary>
    public delegate Tensor LossFunction(Tensor image, Tensor imageRaw);

    /// <summary>Runs sample forward and backward; accumulates gradients into every tensor that requires grad and
    /// returns the loss value. <paramref name="ws"/> [1,14,512] and <paramref name="camera"/> (25 floats) of one sample;
    /// <paramref name="noiseMaps"/> optionally replaces the backbone's stored const noise (layer name → map).</summary>
    public static float Run(Eg3dGenerator gen, Tensor ws, float[] camera, int neuralResolution, bool deterministic, int seed, LossFunction loss,
        IReadOnlyDictionary<string, Tensor>? noiseMaps = null)
    {
        using var scope = TensorScope.Begin();
        var planes = gen.SynthesizePlanes(ws, new SynthesisOptions { NoiseMode = NoiseMode.Const, NoiseMaps = noiseMaps });
        var planesLeaf = planes.Detach();
        planesLeaf.RequiresGrad = planes.RequiresGrad;
        var rays = RaySampler.Sample(camera, 1, neuralResolution);
        int m = rays.Rays;

        // Stage 2: features of all rays without a graph.
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

        // Stage 3: super-resolution and losses with a graph on the detached feature image.
        var raw = featureLeaf.Slice(1, 0, 3).Contiguous();
        var image = gen.SuperResolve(raw, featureLeaf, ws, seed);
        var l = loss(image, raw);
        float value = l.Item();
        l.Backward();
        var gradFeatures = featureLeaf.Grad!.Reshape(1, features.Shape[2], m).Permute(0, 2, 1).Contiguous();   // [1, M, C]

        // Stage 4: re-render each chunk with a graph and push its gradient slice into the planes and the decoder.
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

        // Stage 5: through the backbone.
        if (planes.RequiresGrad && planesLeaf.Grad != null) planes.Backward(planesLeaf.Grad);
        return value;
    }

    /// <summary>Features [1, count, C] of rays [start, start+count) with the chunk's own depth-jitter generator.</summary>
    static Tensor RenderChunk(Eg3dGenerator gen, FlatPlanes flat, RayBundle rays, int start, int count, bool deterministic, int seed, int chunk)
    {
        var sub = new RayBundle(1, count, rays.Origins.AsSpan(start * 3, count * 3).ToArray(), rays.Directions.AsSpan(start * 3, count * 3).ToArray());
        var settings = new RenderSettings(deterministic ? null : new Random(unchecked(seed * 1_000_003 + chunk)), count);
        return gen.Renderer.Render(flat, sub, settings).Features;
    }
}
