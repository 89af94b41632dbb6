// `faces` bench: photos per second of `prepare`'s analysis (detect + FaceMesh: one pass, then 3×3 shifted crops plain and mirrored + alignment + pose) on the CPU
// for the 512² astronaut photo and a 2048² upscale, with the time of each stage and the graph models alone.
using My3DGen.Faces;
using My3DGen.Faces.Detection;
using My3DGen.Faces.Identity;
using My3DGen.Faces.Imaging;
using My3DGen.Faces.Landmarks;
using My3DGen.Faces.Preparation;

namespace My3DGen.Bench;

public static class FacesBench
{
    public static void Run(string[] args)
    {
        string photoPath = BenchArgs.Option(args, "--photo") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "tests", "fixtures", "faces", "astronaut.png");
        var photo = PlanarImage.From(PhotoLoader.Load(photoPath));
        var big = Resampler.ResizeRect(photo, 0, 0, photo.Width, photo.Height, photo.Width * 4, photo.Height * 4, ResampleKernel.Triangle);
        var preparer = new FacePreparer();
        var detector = new BlazeFaceDetector();
        var mesh = new FaceMeshLandmarker();
        var embedder = new MobileFaceNetEmbedder();
        var face = detector.Detect(photo)[0];
        var aligned = preparer.Analyze(photo).Aligned!;
        Console.WriteLine($"faces bench on {Environment.ProcessorCount} CPU threads ({photoPath})");
        Console.WriteLine($"{"case",-44} {"median ms",10} {"photos/s",9} {"runs",5}");
        void Row(string name, Action a)
        {
            var t = BenchTimer.Measure(a, budgetSeconds: 3);
            Console.WriteLine($"{name,-44} {t.MedianMs,10:F1} {1000 / t.MedianMs,9:F2} {t.Runs,5}");
        }
        Row($"prepare analysis, {photo.Width}×{photo.Height} photo", () => preparer.Analyze(photo));
        Row($"prepare analysis, {big.Width}×{big.Height} photo", () => preparer.Analyze(big));
        Row("  BlazeFace detect (letterbox + 256² graph)", () => detector.Detect(photo));
        Row($"  FaceMesh, {1 + 2 * FaceMeshLandmarker.ShiftGrid * FaceMeshLandmarker.ShiftGrid} runs of the 192² graph", () => mesh.Estimate(photo, face));
        Row("  MobileFaceNet embedding (112² graph)", () => embedder.EmbedAligned(aligned));
    }
}
