// The one error type for a face model file that cannot be used: unreadable JSON, missing weights, an op or a weight
// type the runner does not implement. The message names the file and the problem in one line.
using My3DGen.Engine;

namespace My3DGen.Faces.Graph;

/// <summary>A TF.js graph model (model.json + weight files) that cannot be loaded or run; the message names the file.</summary>
public sealed class FaceModelException : UserInputException
{
    /// <summary>Creates the error for <paramref name="file"/> with the one-line <paramref name="problem"/>.</summary>
    public FaceModelException(string file, string problem, Exception? inner = null) : base($"{file}: {problem}", inner) { }
}
