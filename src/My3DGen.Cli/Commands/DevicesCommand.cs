// `my3dgen devices`: lists the compute devices this machine offers and which one auto picks; with --verbose also
// why each GPU kind is or is not usable (architecture, driver, PTX ISA, fp32 peak, or the underlying creation error).
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
        var cmd = s.Verb("devices", "list compute devices and the one selected by default (--verbose: GPU driver details and errors)",
            "my3dgen devices", "my3dgen devices --verbose", "my3dgen devices --json");
        cmd.SetAction(parse =>
        {
            bool verbose = parse.GetValue(s.VerboseOption);
            var rows = new List<string[]> { new[] { "cpu", CpuBackend.Instance.Name, $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB" } };
            foreach (var d in IlgpuBackend.Available())
                rows.Add([d.Kind.ToString(), d.Name, d.Kind == BackendKind.IlgpuCpu ? "host (test simulator)" : $"{d.MemoryBytes / (1L << 20)} MiB"]);
            using var auto = DeviceSelector.Create();
            s.Output.Table(["kind", "name", "memory"], rows);
            s.Output.Line($"selected: {auto.Name}");
            var probes = verbose ? IlgpuBackend.Probe() : [];
            foreach (var p in probes)
                s.Output.Line($"{p.Kind}: " + (p.Found ? $"{p.Name}; " + string.Join("; ", p.Details.Select(kv => $"{kv.Key} {kv.Value}")) : $"not usable ({p.Error})"));
            var result = new JsonObject
            {
                ["ok"] = true, ["selected"] = auto.Name,
                ["devices"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["kind"] = r[0], ["name"] = r[1], ["memory"] = r[2] }).ToArray()),
            };
            if (verbose)
                result["probes"] = new JsonArray(probes.Select(p => (JsonNode)new JsonObject
                {
                    ["kind"] = p.Kind.ToString(), ["found"] = p.Found, ["name"] = p.Name, ["error"] = p.Error,
                    ["details"] = new JsonObject(p.Details.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                }).ToArray());
            s.Output.Result(result);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
