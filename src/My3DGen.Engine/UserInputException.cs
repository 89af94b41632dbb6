// The one base type of every error caused by what the user gave (a file, an argument, a setting, a
// device name) rather than by a bug: front ends print its one-line message and exit with a user-error code.
namespace My3DGen.Engine;

/// <summary>
/// An error caused by the user's input, not by a bug in My3DGen. <see cref="Exception.Message"/> is one line that
/// names the user's file or option and the problem once; front ends print it without a stack trace.
/// </summary>
public abstract class UserInputException : Exception
{
    /// <summary>Creates the error with its one-line message and an optional underlying cause.</summary>
    protected UserInputException(string message, Exception? inner = null) : base(message, inner) { }
}
