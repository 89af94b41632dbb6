// Typed error for malformed or unsupported files: always names the file and, where known,
// the byte offset and the tensor at fault, so the CLI can print one clear line.
namespace My3DGen.Engine.IO;

/// <summary>A file could not be read or written because its content is invalid or unsupported.</summary>
public class FileFormatException : UserInputException
{
    /// <summary>The offending file.</summary>
    public string FilePath { get; }
    /// <summary>Where in the file the problem was found, when known.</summary>
    public long? ByteOffset { get; }

    /// <summary>Describes <paramref name="problem"/> in <paramref name="filePath"/>.</summary>
    public FileFormatException(string filePath, string problem, long? byteOffset = null, Exception? inner = null)
        : base(Format(filePath, problem, byteOffset), inner)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
    }

    static string Format(string file, string problem, long? offset) =>
        offset is { } o ? $"{file}: {problem} (at byte {o})" : $"{file}: {problem}";
}
