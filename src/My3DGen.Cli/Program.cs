// Entry point of the my3dgen command: Ctrl-C / SIGTERM cancel the run cooperatively, everything else is CliApp.
using My3DGen.Cli;

using var signals = CliSignals.Install();
return CliApp.Run(args, Console.Out, Console.Error, terminal: !Console.IsOutputRedirected && !Console.IsErrorRedirected, signals.Token);
