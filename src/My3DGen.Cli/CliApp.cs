// The my3dgen command line as a function of (args, stdout, stderr, cancellation) → exit code, so tests run it in-process:
// global --quiet/--verbose/--json, the verbs, usage errors as one line + "see --help", and every exception through ExitCodes.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Cli.Commands;

namespace My3DGen.Cli;

/// <summary>Runs my3dgen.</summary>
internal static class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the verb and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool terminal = false, CancellationToken cancel = default)
    {
        var session = new CliSession(cancel);
        var root = new RootCommand("my3dgen: 3D-aware personalized face generation (EG3D + LoRA) in pure C#");
        foreach (var o in new Option[] { session.QuietOption, session.VerboseOption, session.JsonOption }) root.Options.Add(o);
        foreach (var c in new[] { DemoCommand.Create(session), PersonalizeCommand.Create(session), DevicesCommand.Create(session), GpuCheckCommand.Create(session),
                     ConvertCommand.Create(session), InspectCommand.Create(session), RenderCommand.Create(session), ShapeCommand.Create(session),
                     PrepareCommand.Create(session), ProjectCommand.Create(session), MetricsCommand.Create(session),
                     InterpolateCommand.Create(session), SynthesizeCommand.Create(session), FitDirectionCommand.Create(session), EditCommand.Create(session), InvertCommand.Create(session),
                     InpaintCommand.Create(session), SuperresCommand.Create(session), EvalCommand.Create(session) })
            root.Subcommands.Add(c);
        HelpWithExamples.Install(root, session.Examples);
        var parse = root.Parse(args);
        var output = session.Output = new CliOutput(stdout, stderr, terminal,
            parse.GetValue(session.QuietOption), parse.GetValue(session.VerboseOption), parse.GetValue(session.JsonOption));
        string verb = parse.CommandResult.Command == root ? "my3dgen" : $"my3dgen {parse.CommandResult.Command.Name}";
        try
        {
            if (parse.Action is not HelpWithExamples && parse.Errors.Count > 0) throw new UsageException(MostSpecific(parse.Errors));
            if (output.Quiet && output.Verbose) throw new UsageException("--quiet and --verbose exclude each other");
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, message) = ExitCodes.Classify(e);
            if (code == ExitCodes.Cancelled && session.CancelMessage != null) message = session.CancelMessage;
            output.Error(code == ExitCodes.Usage ? $"error: {message} (see `{verb} --help`)" : code == ExitCodes.Cancelled ? message : $"error: {message}");
            output.Result(new JsonObject { ["ok"] = false, ["exitCode"] = code, ["error"] = message.Split('\n')[0] });
            return code;
        }
    }

    /// <summary>An unrecognized token says more than the "required command was not provided" that comes with it.</summary>
    static string MostSpecific(IReadOnlyList<System.CommandLine.Parsing.ParseError> errors) =>
        (errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? errors[0]).Message;
}

/// <summary>State shared by the verbs of one invocation: the global options, the output channels and the cancellation.</summary>
internal sealed class CliSession(CancellationToken cancel)
{
    /// <summary>--quiet / -q.</summary>
    public Option<bool> QuietOption { get; } = new("--quiet", "-q") { Description = "print only errors (and the --json result)", Recursive = true };
    /// <summary>--verbose / -v.</summary>
    public Option<bool> VerboseOption { get; } = new("--verbose", "-v") { Description = "print every progress step and every file written", Recursive = true };
    /// <summary>--json.</summary>
    public Option<bool> JsonOption { get; } = new("--json") { Description = "print one JSON result object on stdout (human lines go to stderr)", Recursive = true };
    /// <summary>The output channels (set once the command line is parsed).</summary>
    public CliOutput Output { get; internal set; } = null!;
    /// <summary>Fires on Ctrl-C / SIGTERM.</summary>
    public CancellationToken Cancel { get; } = cancel;
    /// <summary>The line to print instead of "cancelled" (e.g. how to resume), set by a verb.</summary>
    public string? CancelMessage { get; set; }

    /// <summary>The examples of each verb, printed by its --help.</summary>
    public Dictionary<Command, string[]> Examples { get; } = new();

    /// <summary>A verb whose --help ends with <paramref name="examples"/>.</summary>
    public Command Verb(string name, string description, params string[] examples)
    {
        var command = new Command(name, description);
        Examples[command] = examples;
        return command;
    }

    /// <summary>Adds <paramref name="options"/> to <paramref name="command"/>.</summary>
    public static Command With(Command command, params Option[] options)
    {
        foreach (var o in options) command.Options.Add(o);
        return command;
    }
}
