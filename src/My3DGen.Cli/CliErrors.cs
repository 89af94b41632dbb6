// Maps exceptions to exit codes: user errors (bad files, arguments, shapes, missing devices) print
// one line without a stack trace; anything else is a bug and keeps its stack trace.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;

namespace My3DGen.Cli;

public static class CliErrors
{
    /// <summary>Runs <paramref name="body"/>, printing user errors as one line; returns the exit code.</summary>
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    /// <summary>True for errors caused by input rather than by a bug in my3dgen.</summary>
    public static bool IsUserError(Exception e) => e is FileFormatException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or TensorException or DeviceUnavailableException or ArgumentException or InvalidDataException
        || e.GetType().Name.EndsWith("UserException", StringComparison.Ordinal)
        || (e is IOException && e is not EndOfStreamException);
}
