// A TF.js graph model loaded from model.json and its weight files: the nodes, the decoded constants and the input
// name. Running it is GraphExecutor's job; this file only reads and checks the files.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace My3DGen.Faces.Graph;

/// <summary>A TF.js graph model (format "graph-model"): nodes and weights, ready to run with <see cref="GraphExecutor"/>.</summary>
public sealed class TfjsGraphModel
{
    /// <summary>The model.json path it was loaded from (for error messages).</summary>
    public string File { get; }
    /// <summary>All nodes by name.</summary>
    public IReadOnlyDictionary<string, GraphNode> Nodes { get; }
    /// <summary>Decoded constants (weights, shapes, paddings) by node name.</summary>
    public IReadOnlyDictionary<string, GraphTensor> Constants { get; }
    /// <summary>Names of the Placeholder nodes (the inputs), in file order.</summary>
    public IReadOnlyList<string> InputNames { get; }
    /// <summary>The op types present, with counts.</summary>
    public IReadOnlyDictionary<string, int> OpCounts { get; }

    TfjsGraphModel(string file, Dictionary<string, GraphNode> nodes, Dictionary<string, GraphTensor> constants, List<string> inputs)
    {
        File = file; Nodes = nodes; Constants = constants; InputNames = inputs;
        OpCounts = nodes.Values.GroupBy(n => n.Op).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Loads <paramref name="modelJson"/> and the weight files its manifest names (paths relative to it).</summary>
    public static TfjsGraphModel Load(string modelJson)
    {
        string name = Path.GetFileName(modelJson);
        if (!System.IO.File.Exists(modelJson)) throw new FaceModelException(modelJson, "model file not found");
        JsonNode root;
        try { root = JsonNode.Parse(System.IO.File.ReadAllText(modelJson)) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new FaceModelException(modelJson, $"not valid JSON ({e.Message.Split('\n')[0]})", e); }
        if ((string?)root["format"] is { } format && format != "graph-model")
            throw new FaceModelException(modelJson, $"format is '{format}', only TF.js 'graph-model' files are supported");
        var nodeArray = root["modelTopology"]?["node"]?.AsArray() ?? throw new FaceModelException(modelJson, "no modelTopology.node list (not a TF.js graph model)");
        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        var inputs = new List<string>();
        foreach (var n in nodeArray)
        {
            var node = new GraphNode(n!, name);
            nodes[node.Name] = node;
            if (node.Op == "Placeholder") inputs.Add(node.Name);
        }
        var constants = new Dictionary<string, GraphTensor>(StringComparer.Ordinal);
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelJson))!;
        foreach (var group in root["weightsManifest"]?.AsArray() ?? [])
        {
            using var bytes = new MemoryStream();
            foreach (var p in group!["paths"]!.AsArray())
            {
                string path = Path.Combine(dir, (string)p!);
                if (!System.IO.File.Exists(path)) throw new FaceModelException(modelJson, $"weight file '{p}' named in the manifest is missing");
                using var f = System.IO.File.OpenRead(path);
                f.CopyTo(bytes);
            }
            var specs = group["weights"]!.AsArray().Select(w => TfjsWeightSpec.Parse(w!, name)).ToList();
            foreach (var (k, v) in TfjsWeightDecoder.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), specs, name)) constants[k] = v;
        }
        foreach (var node in nodes.Values.Where(n => n.Op == "Const"))
            if (!constants.ContainsKey(node.Name)) throw new FaceModelException(modelJson, $"constant '{node.Name}' has no weight in the manifest");
        return new TfjsGraphModel(modelJson, nodes, constants, inputs);
    }
}
