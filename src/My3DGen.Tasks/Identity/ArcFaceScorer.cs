// Formula (2)'s identity network for the tasks: ArcFace IR-SE50 embeddings (the metrics' network and preprocessing)
// behind an IIdentityScorer, with the person's reference photos embedded once; a random-weight network says so in its name.
using My3DGen.Engine.Tensors;
using My3DGen.Models.Identity;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;

namespace My3DGen.Tasks.Identity;

/// <summary>Builds ArcFace identity scorers.</summary>
public static class ArcFaceScorer
{
    /// <summary>The name a scorer of <paramref name="net"/> carries in captions and tables.</summary>
    public static string NameOf(ArcFaceIrSe50 net, ArcFacePreprocess mode) =>
        $"ArcFace IR-SE50, {MetricsService.Name(mode)} preprocessing" + (net.IsRandom ? ", RANDOM WEIGHTS" : "");

    /// <summary>A scorer of images [1,3,H,W] in [−1,1] against <paramref name="references"/> (any sizes) with <paramref name="net"/>.
    /// Images on another backend than the network's are copied to it.</summary>
    /// <exception cref="ArgumentException">No references.</exception>
    public static IIdentityScorer Create(ArcFaceIrSe50 net, IReadOnlyList<RgbImage> references, ArcFacePreprocess mode = ArcFacePreprocess.My3DGen)
    {
        float[] Embed(Tensor image)
        {
            using var scope = TensorScope.Begin();
            var x = image.Backend == net.Backend ? image : image.To(net.Backend);
            return net.Embed(x, mode).ToArray();
        }
        using var refScope = TensorScope.Begin();
        return new EmbeddingIdentityScorer(NameOf(net, mode), Embed, references.Select(r => MetricImages.ToTensor(net.Backend, [r], -1f, 1f)).ToList());
    }
}
