// A photo that cannot be read (missing, not an image, truncated): one line naming the file, so a batch can report it
// and move on to the next photo.
using My3DGen.Engine;

namespace My3DGen.Faces.Imaging;

/// <summary>A photo file that cannot be decoded; the message names the file.</summary>
public sealed class PhotoException : UserInputException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public PhotoException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) { }
}
