// Typed error for a checkpoint that does not belong to the run resuming it (other dataset, settings or base model,
// or a checkpoint already past the requested number of steps): one line naming the checkpoint file and the problem.
using My3DGen.Engine;

namespace My3DGen.Personalization.Training;

/// <summary>A checkpoint cannot resume this run. <see cref="Exception.Message"/> is "&lt;checkpoint&gt;: &lt;problem&gt;".</summary>
public sealed class ResumeMismatchException : UserInputException
{
    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>Creates the error for checkpoint <paramref name="path"/>.</summary>
    public ResumeMismatchException(string path, string problem) : base($"{path}: {problem}") => FilePath = path;
}
