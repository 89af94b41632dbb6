// Fig. 6 of the evaluation: each test photo degraded twice — a centred box hole (inpainting) and area-downsampled to the
// super-resolution side — and restored from the person's α⁺ space by the restoration services; the restorations are
// scored against the undegraded photo (ArcFace cosine, LPIPS-alex) and kept for the side-by-side figure.
using My3DGen.Models;
using My3DGen.Models.Identity;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Evaluation;

internal static class EvalRestoration
{
    /// <summary>Inpaints and super-resolves every photo with model <paramref name="index"/> (already applied to <paramref name="g"/>).</summary>
    public static RestorationScores? Run(Eg3dGenerator g, EvalRequest request, int index, List<ProjectionTarget> photos, string title,
        EvalFigures figures, List<string> files, IProgress<TaskProgress> progress, CancellationToken cancel)
    {
        if (photos.Count == 0) return null;
        var (nets, o) = (request.Networks, request.Options);
        var alex = nets.LpipsAlex!;
        int res = g.Config.ImgResolution, side = o.SuperResolutionSide;
        SuperResolutionService.CheckSide("super-resolution side", side, res);
        var label = request.Models[index].Label;
        var (inpaintId, inpaintLpips, srId, srLpips, srMse) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        foreach (var photo in photos)
        {
            string stem = Path.GetFileNameWithoutExtension(photo.Name);
            var named = photo with { Name = stem };
            var inpainted = InpaintingService.Run(g, alex, new InpaintingRequest
            {
                Photo = named, Anchors = request.Anchors, OutputDirectory = Path.Combine(request.OutputDirectory, label, "inpainting", stem),
                Projection = o.Restoration, Title = title,
            }, progress, cancel);
            files.AddRange(inpainted.Files);
            var lowRes = SuperResolutionService.Downsample(photo.Image, res, side);
            var restored = SuperResolutionService.Run(g, alex, new SuperResolutionRequest
            {
                Name = stem, LowRes = lowRes, Side = side, Camera = photo.Camera, Anchors = request.Anchors,
                OutputDirectory = Path.Combine(request.OutputDirectory, label, "superres", stem), Projection = o.Restoration, Title = title,
            }, progress, cancel);
            files.AddRange(restored.Files);

            var truth = ReferenceImages.ToImage(photo.Image, res);
            var (inImage, srImage) = (ReferenceImages.ToImage(inpainted.Inpainted, res), ReferenceImages.ToImage(restored.Restoration, res));
            inpaintId.Add(IdSimilarity(nets.ArcFace, request.IdMode, truth, inImage));
            srId.Add(IdSimilarity(nets.ArcFace, request.IdMode, truth, srImage));
            inpaintLpips.Add(inpainted.LpipsInHole);
            srLpips.Add(Lpips(alex, truth, srImage));
            srMse.Add(restored.DownsampledMse);
            figures.AddRestoration(index, ReferenceImages.ToImage(inpainted.Masked, res), inImage,
                ReferenceImages.ToImage(lowRes, side).Resized(res, res, nearest: true), srImage);
        }
        return new RestorationScores(photos.Count, inpaintId.Average(), inpaintLpips.Average(), srId.Average(), srLpips.Average(), srMse.Average());
    }

    /// <summary>LPIPS of two images of equal size.</summary>
    static double Lpips(Models.Perceptual.Lpips net, RgbImage a, RgbImage b)
    {
        using var ng = Engine.Autograd.GradMode.NoGrad();
        using var scope = Engine.Tensors.TensorScope.Begin();
        return net.Distance(MetricImages.ToTensor(net.Backend, [a], -1f, 1f), MetricImages.ToTensor(net.Backend, [b], -1f, 1f)).Item();
    }

    /// <summary>ArcFace cosine of two images, or NaN without the network.</summary>
    static double IdSimilarity(ArcFaceIrSe50? arcFace, ArcFacePreprocess mode, RgbImage a, RgbImage b)
    {
        if (arcFace == null) return double.NaN;
        var e = MetricsService.Embed(arcFace, [a, b], mode);
        return IdentityMetrics.Cosine(e.AsSpan(0, 512), e.AsSpan(512, 512));
    }
}
