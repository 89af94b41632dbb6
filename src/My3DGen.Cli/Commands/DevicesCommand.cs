// `my3dgen devices`: lists the compute devices this machine offers and which one auto picks.
using System.CommandLine;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class DevicesCommand
{
    public static Command Create()
    {
        var cmd = new Command("devices", "list compute devices and the one selected by default");
        cmd.SetAction(_ =>
        {
            var table = new Table().AddColumns("kind", "name", "memory");
            table.AddRow("cpu", Markup.Escape(CpuBackend.Instance.Name), $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB");
            foreach (var d in IlgpuBackend.Available())
                table.AddRow(d.Kind.ToString(), Markup.Escape(d.Name), d.Kind == BackendKind.IlgpuCpu ? "host (test simulator)" : $"{d.MemoryBytes / (1L << 20)} MiB");
            AnsiConsole.Write(table);
            using var auto = DeviceSelector.Create();
            AnsiConsole.MarkupLine($"selected: [bold]{Markup.Escape(auto.Name)}[/]");
            return 0;
        });
        return cmd;
    }
}
