// Typed error for an output the engine cannot write (unwritable folder, disk full, permission denied): the message
// names the file the user asked for, never the internal temp file it was being written through.
using My3DGen.Engine;

namespace My3DGen.Personalization.Files;

/// <summary>An output file cannot be written. <see cref="Exception.Message"/> is "&lt;path&gt;: cannot write: &lt;reason&gt;".</summary>
public sealed class OutputWriteException : UserInputException
{
    /// <summary>The file that was requested.</summary>
    public string FilePath { get; }

    /// <summary>Creates the error for <paramref name="path"/> with a one-line <paramref name="reason"/>.</summary>
    public OutputWriteException(string path, string reason, Exception? inner = null) : base($"{path}: cannot write: {reason}", inner) =>
        FilePath = path;
}
