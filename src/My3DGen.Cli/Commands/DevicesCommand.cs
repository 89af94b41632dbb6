// `my3dgen devices`: lists the compute devices this machine offers and which one auto picks.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;

namespace My3DGen.Cli.Commands;

internal static class DevicesCommand
{
    /// <summary>The `devices` verb.</summary>
    public static Command Create(CliSession s)
    {
        var cmd = s.Verb("devices", "list compute devices and the one selected by default", "my3dgen devices", "my3dgen devices --json");
        cmd.SetAction(_ =>
        {
            var rows = new List<string[]> { new[] { "cpu", CpuBackend.Instance.Name, $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB" } };
            foreach (var d in IlgpuBackend.Available())
                rows.Add([d.Kind.ToString(), d.Name, d.Kind == BackendKind.IlgpuCpu ? "host (test simulator)" : $"{d.MemoryBytes / (1L << 20)} MiB"]);
            using var auto = DeviceSelector.Create();
            s.Output.Table(["kind", "name", "memory"], rows);
            s.Output.Line($"selected: {auto.Name}");
            s.Output.Result(new JsonObject
            {
                ["ok"] = true, ["selected"] = auto.Name,
                ["devices"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["kind"] = r[0], ["name"] = r[1], ["memory"] = r[2] }).ToArray()),
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
