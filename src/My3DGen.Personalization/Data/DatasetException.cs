// Typed error for unusable training data: names the file (image, dataset.json, latent or folder) once and the problem.
using My3DGen.Engine;

namespace My3DGen.Personalization.Data;

/// <summary>The dataset cannot be used. <see cref="Exception.Message"/> is "&lt;file&gt;: &lt;problem&gt;".</summary>
public sealed class DatasetException(string path, string problem, Exception? inner = null) : UserInputException($"{path}: {problem}", inner)
{
    /// <summary>The file or folder at fault.</summary>
    public string FilePath { get; } = path;
}
