// The help screen plus what System.CommandLine's default help lacks: the examples of a verb after its options, and
// the exit codes after the root's command list (`my3dgen --help`).
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace My3DGen.Cli;

/// <summary>Wraps the default help action of <paramref name="help"/>.</summary>
internal sealed class HelpWithExamples(HelpAction help, IReadOnlyDictionary<Command, string[]> examples) : SynchronousCommandLineAction
{
    /// <summary>Prints the default help, then the command's examples, or the exit codes for the root.</summary>
    public override int Invoke(ParseResult parseResult)
    {
        int rc = help.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        if (examples.TryGetValue(command, out var lines) && lines.Length > 0)
        {
            output.WriteLine("Examples:");
            foreach (var line in lines) output.WriteLine("  " + line);
            output.WriteLine();
        }
        if (command is RootCommand)
        {
            output.WriteLine("Exit codes:");
            foreach (var line in ExitCodes.HelpLines) output.WriteLine("  " + line);
            output.WriteLine();
        }
        return rc;
    }

    /// <summary>Installs the wrapper on the help option of <paramref name="root"/>.</summary>
    public static void Install(RootCommand root, IReadOnlyDictionary<Command, string[]> examples)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new HelpWithExamples((HelpAction)option.Action!, examples);
    }
}
