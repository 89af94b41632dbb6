// The numbers of one evaluation, per model: inversion (Fig. 3), interpolation ID_sim per θ (Fig. 4), synthesis ID_sim
// and diversity (Fig. 5), inpainting / super-resolution (Fig. 6), plus the adapter summary (Table 1). A metric that was not computed is NaN (its network was
// unavailable); the notes say which networks had random weights.
namespace My3DGen.Tasks.Evaluation;

/// <summary>Fig. 3: means over the inverted test photos of the PTI reconstruction against the photo.</summary>
/// <param name="Photos">Photos inverted.</param>
/// <param name="LpipsAlex">LPIPS-alex.</param>
/// <param name="Dists">DISTS.</param>
/// <param name="IdSimilarity">ArcFace cosine of photo and reconstruction (1 − ID error).</param>
/// <param name="Psnr">PSNR in dB.</param>
/// <param name="LpipsProjectionOnly">LPIPS-alex of the projection before pivotal tuning (the tuning loss network).</param>
public sealed record InversionScores(int Photos, double LpipsAlex, double Dists, double IdSimilarity, double Psnr, double LpipsProjectionOnly);

/// <summary>Fig. 4: ID_sim per θ, averaged over the anchor pairs.</summary>
/// <param name="Pairs">Anchor pairs interpolated.</param>
/// <param name="Thetas">θ values.</param>
/// <param name="IdSim">Mean over pairs of formula (2) per θ.</param>
public sealed record InterpolationScores(int Pairs, double[] Thetas, double[] IdSim)
{
    /// <summary>Mean over θ.</summary>
    public double Mean => IdSim.Length == 0 ? double.NaN : IdSim.Average();
}

/// <summary>Fig. 5: formula (2) over all rendered P0 samples, and their diversity.</summary>
/// <param name="Images">Rendered images (samples × views).</param>
/// <param name="IdSim">ID_sim.</param>
/// <param name="Diversity">Mean intra-cluster LPIPS-vgg (NaN when no cluster had 2 images).</param>
/// <param name="DiversityStd">Its std over clusters.</param>
/// <param name="Clusters">Clusters with 2+ images (of <paramref name="ClusterCount"/>).</param>
/// <param name="ClusterCount">Training photos used as clusters.</param>
public sealed record SynthesisScores(int Images, double IdSim, double Diversity, double DiversityStd, int Clusters, int ClusterCount);

/// <summary>Fig. 6: means over the test photos of the restorations from the person's α⁺ space against the undegraded photo.</summary>
/// <param name="Photos">Photos restored.</param>
/// <param name="InpaintingIdSimilarity">ArcFace cosine of the inpainted image (centred box hole, Poisson blend) and the photo.</param>
/// <param name="InpaintingLpipsHole">LPIPS-alex of the inpainted image and the photo over the hole's box.</param>
/// <param name="SuperResolutionIdSimilarity">ArcFace cosine of the restoration from the low-resolution photo and the photo.</param>
/// <param name="SuperResolutionLpips">LPIPS-alex of that restoration and the photo.</param>
/// <param name="SuperResolutionMse">MSE of the area-downsampled restoration and the low-resolution input ([−1,1] scale).</param>
public sealed record RestorationScores(int Photos, double InpaintingIdSimilarity, double InpaintingLpipsHole, double SuperResolutionIdSimilarity,
    double SuperResolutionLpips, double SuperResolutionMse);

/// <summary>Everything measured for one model.</summary>
/// <param name="Model">The model.</param>
/// <param name="Adapter">Its adapter summary (Table 1).</param>
/// <param name="Inversion">Fig. 3 numbers, or null when no test photo was given.</param>
/// <param name="Interpolation">Fig. 4 numbers, or null without an identity network.</param>
/// <param name="Synthesis">Fig. 5 numbers.</param>
/// <param name="Restoration">Fig. 6 numbers, or null when no test photo was given.</param>
public sealed record ModelScores(EvalModel Model, AdapterSummary Adapter, InversionScores? Inversion, InterpolationScores? Interpolation, SynthesisScores Synthesis,
    RestorationScores? Restoration);

/// <summary>The result of <see cref="EvalService.Run"/>.</summary>
/// <param name="Models">Per model, in the order given (the base first).</param>
/// <param name="Notes">Lines every table carries: the protocol's counts, reference sets, unavailable and random-weight networks.</param>
/// <param name="Files">Every file written (tables, plots, per-model task outputs).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="RandomWeights">The metrics whose networks had random weights (their numbers are not meaningful).</param>
public sealed record EvalReport(IReadOnlyList<ModelScores> Models, IReadOnlyList<string> Notes, IReadOnlyList<string> Files, TimeSpan Elapsed,
    IReadOnlyList<string> RandomWeights);

/// <summary>Progress of an evaluation: stage <paramref name="Stage"/> of model <paramref name="Model"/>, unit <paramref name="Done"/> of
/// <paramref name="Total"/> (model × stage), with the running task's own progress.</summary>
public sealed record EvalProgress(string Model, string Stage, int Done, int Total, TaskProgress? Task, TimeSpan Elapsed);
