// A usage error: an option value that is out of range, not finite or inconsistent with another option. Exit code 2.
using My3DGen.Engine;

namespace My3DGen.Cli;

/// <summary>A wrong command line (not a wrong file): printed as one line + "see --help", exit code 2.</summary>
internal sealed class UsageException(string message) : UserInputException(message);
