// Atomic PNG writing for everything the trainer and demo produce (temp file + rename).
using My3DGen.Engine.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Reporting;

public static class PngFile
{
    public static void Save(Image<Rgb24> image, string path) => AtomicFile.Write(path, s => image.SaveAsPng(s));
}
