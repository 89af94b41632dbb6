// Typed error for a setting outside its valid range (rank 0, a negative learning rate, --steps 0, ...):
// the one-line message names the option as the user wrote it and the value given.
using My3DGen.Engine;

namespace My3DGen.Models.Lora;

/// <summary>A setting is outside its valid range. <see cref="Exception.Message"/> is "&lt;option&gt;: &lt;problem&gt;".</summary>
public sealed class InvalidOptionException : UserInputException
{
    /// <summary>The option at fault as the command line spells it (e.g. "--rank").</summary>
    public string Option { get; }

    /// <summary>Creates the error for <paramref name="option"/> with a one-line <paramref name="problem"/>.</summary>
    public InvalidOptionException(string option, string problem) : base($"{option}: {problem}") => Option = option;
}
