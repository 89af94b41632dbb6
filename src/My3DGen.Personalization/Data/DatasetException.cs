// Typed error for unusable training data: names the file (image, dataset.json or latent) and the problem.
using My3DGen.Engine;

namespace My3DGen.Personalization.Data;

public sealed class DatasetException(string path, string problem) : UserInputException($"{path}: {problem}")
{
    public string FilePath { get; } = path;
}
