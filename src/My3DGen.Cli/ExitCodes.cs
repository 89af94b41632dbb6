// The one mapping of exceptions to exit codes and stderr lines. User errors (typed errors of the library, bad files,
// I/O failures) print one line naming the file; usage errors add "see --help"; only internal errors print a stack trace.
using System.Text.RegularExpressions;
using My3DGen.Engine;
using My3DGen.Models.Cameras;

namespace My3DGen.Cli;

/// <summary>Exit codes of my3dgen (also listed in `my3dgen --help` and the README).</summary>
internal partial class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A user error: a file or value the user gave is wrong, or an output cannot be written.</summary>
    public const int UserError = 1;
    /// <summary>A usage error: unknown verb or option, a missing or out-of-range value.</summary>
    public const int Usage = 2;
    /// <summary>An internal error (a bug in my3dgen); the only case with a stack trace.</summary>
    public const int Internal = 70;
    /// <summary>Cancelled by Ctrl-C or SIGTERM.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit codes as listed by `my3dgen --help`.</summary>
    public static readonly string[] HelpLines =
    [
        "0    success",
        "1    user error: a file or value is wrong, or an output cannot be written (one line on stderr names it)",
        "2    usage error: unknown verb or option, missing, malformed or out-of-range value (one line + \"see --help\")",
        "70   internal error: a bug in my3dgen (the only case with a stack trace; please report it)",
        "130  cancelled by Ctrl-C or SIGTERM (personalize saves a checkpoint: continue with --resume)",
    ];

    /// <summary>The exit code of <paramref name="e"/> and the one-line message to print (internal errors: with the stack trace).</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        OperationCanceledException => (Cancelled, "cancelled"),
        UsageException => (Usage, e.Message),
        UserInputException => (UserError, Clean(e.Message)),
        InvalidCameraException => (UserError, ParameterSuffix().Replace(e.Message, "")),
        UnauthorizedAccessException or IOException when e is not EndOfStreamException => (UserError, Clean(e.Message)),
        _ => (Internal, $"internal error (please report): {e}"),
    };

    /// <summary>The first line of a message, naming the requested file instead of the temp file of an atomic write
    /// (".name.pid.guid.tmp" → "name"); a library message that lists alternatives on further lines is cut to its first.</summary>
    static string Clean(string message) => TempFile().Replace(message.Split('\n')[0].TrimEnd(' ', ':', '\r'), "$1");

    [GeneratedRegex(@"\.([^/\\'""]+)\.\d+\.[0-9a-f]{32}\.tmp")]
    private static partial Regex TempFile();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}
