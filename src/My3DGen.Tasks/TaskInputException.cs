// Typed error for task inputs that cannot be used (an unknown anchor name, a direction of the wrong size, too few
// anchors to sample from, scores that do not match the latents): one line naming the input and the problem.
using My3DGen.Engine;

namespace My3DGen.Tasks;

/// <summary>A task's input cannot be used. <see cref="Exception.Message"/> is "&lt;input&gt;: &lt;problem&gt;".</summary>
public sealed class TaskInputException(string input, string problem, Exception? inner = null) : UserInputException($"{input}: {problem}", inner)
{
    /// <summary>The input at fault (a file, an option or an anchor name).</summary>
    public string Input { get; } = input;
}
