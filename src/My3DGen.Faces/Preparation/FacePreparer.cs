// Photos → EG3D-aligned crops with camera labels: detect (largest face above the score), FaceMesh landmarks, the five
// points, EG3D's in-the-wild crop, head pose → 25-float label, acceptance checks. Analyze works on one image in
// memory; Prepare runs a batch of files into a person folder (PrepareWriter), skipping unreadable files.
using My3DGen.Faces.Alignment;
using My3DGen.Faces.Detection;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Landmarks;
using My3DGen.Faces.Pose;

namespace My3DGen.Faces.Preparation;

/// <summary>Progress of a <see cref="FacePreparer.Prepare"/> batch.</summary>
/// <param name="Done">Photos finished.</param>
/// <param name="Total">Photos in the batch.</param>
/// <param name="Photo">The photo just finished.</param>
/// <param name="Accepted">Whether it was accepted.</param>
public readonly record struct PrepareProgress(int Done, int Total, string Photo, bool Accepted);

/// <summary>Aligns photos EG3D-style and estimates their camera labels with the bundled face models.</summary>
public sealed class FacePreparer
{
    readonly BlazeFaceDetector _detector;
    readonly FaceMeshLandmarker _mesh;
    readonly CanonicalFace _canonical;

    /// <summary>The settings in use.</summary>
    public PrepareOptions Options { get; }

    /// <summary>Loads the detector and landmark models.</summary>
    public FacePreparer(PrepareOptions? options = null)
    {
        Options = options ?? new PrepareOptions();
        _detector = new BlazeFaceDetector(Options.ModelFolder) { MinScore = Options.MinScore };
        _mesh = new FaceMeshLandmarker(Options.ModelFolder);
        _canonical = CanonicalFace.Load(Options.ModelFolder);
    }

    /// <summary>Analyses one upright photo: the decision, the face, its five points, crop and pose.</summary>
    public FaceAnalysis Analyze(PlanarImage photo)
    {
        var faces = _detector.Detect(photo);
        if (faces.Count == 0)
            return new FaceAnalysis { Width = photo.Width, Height = photo.Height, Reason = $"no face found (detector score >= {Options.MinScore:0.##})" };
        var face = faces.OrderByDescending(f => f.Area).First();
        var others = faces.Where(f => f != face).ToList();
        var mesh = _mesh.Estimate(photo, face);
        var points = mesh.FivePoints();
        var crop = Eg3dAlignment.Crop(points, photo.Width, photo.Height);
        var aligned = Eg3dAlignment.Apply(photo, crop);
        var pose = HeadPose.Fit(mesh, _canonical);
        double sharp = Sharpness.LaplacianVariance(Resampler.ResizeRect(aligned, 0, 0, aligned.Width, aligned.Height, 128, 128, ResampleKernel.Triangle));
        var (yaw, pitch, _) = pose.Angles();
        double eyes = Math.Sqrt(Math.Pow(points[1].X - points[0].X, 2) + Math.Pow(points[1].Y - points[0].Y, 2));
        string? reason =
            others.Count > 0 && Options.RejectMultipleFaces ? $"{faces.Count} faces found (one face per photo wanted)" :
            mesh.Confidence < Options.MinMeshConfidence ? $"landmarks unsure (face confidence {mesh.Confidence:0.00} < {Options.MinMeshConfidence:0.##})" :
            eyes < Options.MinEyeDistance ? $"face too small (eyes {eyes:0} px apart, need >= {Options.MinEyeDistance:0})" :
            Math.Abs(yaw) > Options.MaxYaw ? $"pose outside range (yaw {yaw:+0;-0} deg, limit +-{Options.MaxYaw:0} deg)" :
            Math.Abs(pitch) > Options.MaxPitch ? $"pose outside range (pitch {pitch:+0;-0} deg, limit +-{Options.MaxPitch:0} deg)" :
            sharp < Options.MinSharpness ? $"too blurry (sharpness {sharp:0.0} < {Options.MinSharpness:0})" : null;
        return new FaceAnalysis
        {
            Reason = reason, Width = photo.Width, Height = photo.Height, Face = face, OtherFaces = others, Mesh = mesh,
            Points5 = points, Crop = crop, Aligned = aligned, Pose = pose, Sharpness = sharp,
        };
    }

    /// <summary>Prepares <paramref name="photos"/> (files) into <paramref name="personFolder"/>: aligned PNGs (and mirrors),
    /// dataset.json, prepare.json and contact-sheet.png. Unreadable files are reported and skipped.</summary>
    public PrepareSummary Prepare(IReadOnlyList<string> photos, string personFolder, IProgress<PrepareProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var writer = new PrepareWriter(personFolder, Options.Mirror, Options.Size);
        for (int i = 0; i < photos.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            string path = photos[i];
            PhotoEntry entry;
            try
            {
                var image = PlanarImage.From(PhotoLoader.Load(path));
                entry = writer.Add(path, image, Analyze(image));
            }
            catch (PhotoException e) { entry = writer.AddError(path, e.Message); }
            progress?.Report(new PrepareProgress(i + 1, photos.Count, path, entry.Accepted));
        }
        return writer.Finish();
    }

    /// <summary>The photo files of <paramref name="inputs"/>: files as given, folders expanded to their image files (sorted).</summary>
    public static List<string> ExpandInputs(IEnumerable<string> inputs)
    {
        var list = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                list.AddRange(Directory.EnumerateFiles(input).Where(f => PhotoLoader.Extensions.Contains(Path.GetExtension(f)))
                    .OrderBy(f => f, StringComparer.Ordinal));
            else list.Add(input);
        }
        return list;
    }
}
