// One node of a TF.js graph: its op, input names and the attributes the implemented ops read (strings are base64 in
// model.json; integer lists are JSON strings).
using System.Text;
using System.Text.Json.Nodes;

namespace My3DGen.Faces.Graph;

/// <summary>A node of a TF.js graph model.</summary>
public sealed class GraphNode
{
    /// <summary>The node (and output tensor) name.</summary>
    public string Name { get; }
    /// <summary>The TensorFlow op type, e.g. _FusedConv2D.</summary>
    public string Op { get; }
    /// <summary>Names of the input nodes (control inputs removed, ":0" suffixes removed).</summary>
    public IReadOnlyList<string> Inputs { get; }
    readonly JsonObject _attr;

    internal GraphNode(JsonNode node, string file)
    {
        Name = (string?)node["name"] ?? throw new FaceModelException(file, "a graph node has no name");
        Op = (string?)node["op"] ?? throw new FaceModelException(file, $"node '{Name}' has no op");
        var inputs = new List<string>();
        foreach (var i in node["input"]?.AsArray() ?? [])
        {
            string s = (string)i!;
            if (s.StartsWith('^')) continue;
            int colon = s.LastIndexOf(':');
            if (colon > 0)
            {
                if (s[(colon + 1)..] != "0") throw new FaceModelException(file, $"node '{Name}' reads output {s[(colon + 1)..]} of '{s[..colon]}'; only single-output ops are supported");
                s = s[..colon];
            }
            inputs.Add(s);
        }
        Inputs = inputs;
        _attr = node["attr"] as JsonObject ?? new JsonObject();
    }

    /// <summary>A string attribute (decoded from base64), or <paramref name="fallback"/>.</summary>
    public string String(string key, string fallback = "") =>
        _attr[key]?["s"] is { } s ? Encoding.UTF8.GetString(Convert.FromBase64String((string)s!)) : fallback;

    /// <summary>A list-of-strings attribute (e.g. fused_ops), empty when absent.</summary>
    public string[] Strings(string key) =>
        _attr[key]?["list"]?["s"]?.AsArray().Select(s => Encoding.UTF8.GetString(Convert.FromBase64String((string)s!))).ToArray() ?? [];

    /// <summary>A list-of-integers attribute (strides, ksize, squeeze_dims), empty when absent.</summary>
    public int[] Ints(string key) => _attr[key]?["list"]?["i"]?.AsArray().Select(v => int.Parse((string)v!)).ToArray() ?? [];

    /// <summary>A boolean attribute.</summary>
    public bool Bool(string key, bool fallback = false) => _attr[key]?["b"] is { } b ? (bool)b : fallback;

    /// <summary>True when the attribute is present.</summary>
    public bool Has(string key) => _attr.ContainsKey(key);
}
