// The extension point for ID_sim (spec §5): an identity network (ArcFace IR-SE50, from the metrics work) wrapped as a
// scorer of one generated image against the person's reference set, formula (2)'s inner term max_r cos(F(g), F(r)).
// EmbeddingIdentityScorer implements it for any embedding function; the tasks average it as formula (2) does.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;

namespace My3DGen.Tasks.Identity;

/// <summary>Scores how much a generated image looks like the person.</summary>
public interface IIdentityScorer
{
    /// <summary>A short name for captions and tables (e.g. "ArcFace IR-SE50").</summary>
    string Name { get; }

    /// <summary>max over the reference set of cos(F(image), F(reference)) for an image [1, 3, H, W] in [−1, 1].</summary>
    double Score(Tensor image);
}

/// <summary>Formula (2)'s per-image term for any embedding network F: the references are embedded once.</summary>
public sealed class EmbeddingIdentityScorer : IIdentityScorer
{
    readonly Func<Tensor, float[]> _embed;
    readonly List<double[]> _references;

    /// <summary>A scorer with embedding <paramref name="embed"/> (image [1,3,H,W] in [−1,1] → feature vector) and the person's
    /// reference images (e.g. their photos, [1,3,H,W] each).</summary>
    /// <exception cref="ArgumentException">No references, or an embedding of zero length or norm.</exception>
    public EmbeddingIdentityScorer(string name, Func<Tensor, float[]> embed, IEnumerable<Tensor> references)
    {
        Name = name; _embed = embed;
        _references = references.Select(Embed).ToList();
        if (_references.Count == 0) throw new ArgumentException("the reference set is empty", nameof(references));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public double Score(Tensor image)
    {
        var e = Embed(image);
        return _references.Max(r => r.Zip(e, (a, b) => a * b).Sum());
    }

    /// <summary>The unit embedding of one image (no autograd).</summary>
    double[] Embed(Tensor image)
    {
        float[] f;
        using (GradMode.NoGrad()) f = _embed(image);
        double norm = Math.Sqrt(f.Sum(v => (double)v * v));
        if (f.Length == 0 || norm == 0) throw new ArgumentException("the embedding is empty or zero");
        return f.Select(v => v / norm).ToArray();
    }
}
