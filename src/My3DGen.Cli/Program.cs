// Entry point of the my3dgen command: registers the verbs and turns user errors (typed exceptions
// about files, arguments, shapes or devices) into one line on stderr and a non-zero exit code.
using System.CommandLine;
using My3DGen.Cli;
using My3DGen.Cli.Commands;

var root = new RootCommand("my3dgen: 3D-aware personalized face generation (EG3D + LoRA) in pure C#");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(PersonalizeCommand.Create());
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(RenderCommand.Create());
root.Subcommands.Add(ShapeCommand.Create());
return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
