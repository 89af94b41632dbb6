// The typed error of an output the user asked for that cannot be written (the path is a folder or a file where a
// folder is needed, the folder is read-only, the disk is full): names the requested path, never an internal temp file.
using System.Text.RegularExpressions;
using My3DGen.Engine;

namespace My3DGen.Models.Api;

/// <summary>An output path that cannot be written; <see cref="Exception.Message"/> is "path: problem".</summary>
public sealed partial class OutputFileException : UserInputException
{
    /// <summary>The path the user asked for.</summary>
    public string FilePath { get; }

    /// <summary>Creates the error for <paramref name="path"/> with a one-line <paramref name="problem"/>.</summary>
    public OutputFileException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) => FilePath = path;

    /// <summary>Runs <paramref name="write"/>; an I/O failure becomes an <see cref="OutputFileException"/> naming <paramref name="path"/>.</summary>
    public static void Guard(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            throw new OutputFileException(path, "cannot write: " + Reason(e), e);
        }
    }

    /// <summary>The OS reason of an I/O error without the path .NET appends (which may be a temp file's).</summary>
    public static string Reason(Exception e) => TrailingPath().Replace(e.Message, "").Trim().TrimEnd('.');

    [GeneratedRegex(@"\s*:?\s*'[^']*'\.?$|\s*[Pp]ath\s+'[^']*'")]
    private static partial Regex TrailingPath();
}
