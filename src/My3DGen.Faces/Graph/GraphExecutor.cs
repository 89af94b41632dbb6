// Runs a TF.js graph model: evaluates the nodes an output needs, in dependency order, with the op set of the face
// graphs. Any other op is refused before anything runs, with an error naming the op and the node.
namespace My3DGen.Faces.Graph;

/// <summary>Evaluates a <see cref="TfjsGraphModel"/> on the CPU.</summary>
public sealed class GraphExecutor
{
    /// <summary>The op types this runner implements.</summary>
    public static IReadOnlySet<string> SupportedOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Placeholder", "Const", "Identity", "_FusedConv2D", "Conv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative",
        "MaxPool", "Pad", "AddV2", "Add", "Sub", "Mul", "Maximum", "Relu", "Abs", "Sigmoid", "Square", "Rsqrt", "Prelu",
        "Reshape", "Squeeze", "Sum", "BiasAdd",
    };

    readonly TfjsGraphModel _model;

    /// <summary>An executor for <paramref name="model"/>.</summary>
    public GraphExecutor(TfjsGraphModel model) => _model = model;

    /// <summary>Evaluates <paramref name="outputs"/> given the placeholder values in <paramref name="inputs"/>.</summary>
    public GraphTensor[] Run(IReadOnlyDictionary<string, GraphTensor> inputs, params string[] outputs)
    {
        var order = Schedule(outputs);
        var values = new Dictionary<string, GraphTensor>(StringComparer.Ordinal);
        foreach (var node in order)
        {
            if (node.Op == "Placeholder")
                values[node.Name] = inputs.TryGetValue(node.Name, out var t) ? t : throw new ArgumentException($"{FileName}: input '{node.Name}' was not given");
            else if (node.Op == "Const") values[node.Name] = _model.Constants[node.Name];
            else values[node.Name] = Evaluate(node, node.Inputs.Select(i => values[i]).ToArray());
        }
        return outputs.Select(o => values[o]).ToArray();
    }

    string FileName => Path.GetFileName(_model.File);

    List<GraphNode> Schedule(string[] outputs)
    {
        var order = new List<GraphNode>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = visiting, true = done
        var stack = new Stack<(string Name, bool Expanded)>();
        foreach (var o in outputs.Reverse()) stack.Push((o, false));
        while (stack.Count > 0)
        {
            var (name, expanded) = stack.Pop();
            if (!_model.Nodes.TryGetValue(name, out var node)) throw new FaceModelException(FileName, $"the graph has no node '{name}'");
            if (expanded) { state[name] = true; order.Add(node); continue; }
            if (state.TryGetValue(name, out bool done)) { if (!done) throw new FaceModelException(FileName, $"the graph has a cycle through '{name}'"); continue; }
            if (!SupportedOps.Contains(node.Op))
                throw new FaceModelException(FileName, $"op '{node.Op}' (node '{node.Name}') is not supported by the graph runner");
            state[name] = false;
            stack.Push((name, true));
            foreach (var i in node.Inputs.Reverse()) if (!state.ContainsKey(i)) stack.Push((i, false));
        }
        return order;
    }

    GraphTensor Evaluate(GraphNode node, GraphTensor[] x)
    {
        switch (node.Op)
        {
            case "Identity": return x[0];
            case "_FusedConv2D":
            case "Conv2D":
            case "DepthwiseConv2dNative":
            case "FusedDepthwiseConv2dNative": return Convolution(node, x);
            case "MaxPool":
            {
                CheckNhwc(node);
                int[] k = node.Ints("ksize"), s = node.Ints("strides");
                return NhwcKernels.MaxPool(x[0], k[1], k[2], s[1], s[2], node.String("padding"));
            }
            case "Pad": return NhwcKernels.Pad(x[0], x[1].AsInts());
            case "AddV2": case "Add": return ElementwiseKernels.Binary(x[0], x[1], (a, b) => a + b);
            case "BiasAdd": return ElementwiseKernels.Binary(x[0], x[1], (a, b) => a + b);
            case "Sub": return ElementwiseKernels.Binary(x[0], x[1], (a, b) => a - b);
            case "Mul": return ElementwiseKernels.Binary(x[0], x[1], (a, b) => a * b);
            case "Maximum": return ElementwiseKernels.Binary(x[0], x[1], (a, b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b));
            case "Prelu": return ElementwiseKernels.Binary(x[0], x[1], (v, a) => v < 0 ? a * v : v);
            case "Relu": return ElementwiseKernels.Unary(x[0], v => v < 0 ? 0 : v);
            case "Abs": return ElementwiseKernels.Unary(x[0], MathF.Abs);
            case "Sigmoid": return ElementwiseKernels.Unary(x[0], v => 1f / (1f + MathF.Exp(-v)));
            case "Square": return ElementwiseKernels.Unary(x[0], v => v * v);
            case "Rsqrt": return ElementwiseKernels.Unary(x[0], v => 1f / MathF.Sqrt(v));
            case "Reshape": return ElementwiseKernels.Reshape(x[0], x[1].AsInts());
            case "Squeeze": return ElementwiseKernels.Squeeze(x[0], node.Ints("squeeze_dims"));
            case "Sum": return ElementwiseKernels.Sum(x[0], x[1].AsInts(), node.Bool("keep_dims"));
            default: throw new FaceModelException(FileName, $"op '{node.Op}' (node '{node.Name}') is not supported by the graph runner");
        }
    }

    GraphTensor Convolution(GraphNode node, GraphTensor[] x)
    {
        CheckNhwc(node);
        if (node.Ints("dilations") is { Length: 4 } dil && (dil[1] != 1 || dil[2] != 1))
            throw new FaceModelException(FileName, $"node '{node.Name}' uses dilation {dil[1]}×{dil[2]}, which is not supported");
        int[] s = node.Ints("strides");
        string padding = node.String("padding");
        if (padding is not ("SAME" or "VALID")) throw new FaceModelException(FileName, $"node '{node.Name}' uses padding '{padding}', only SAME and VALID are supported");
        var fused = node.Strings("fused_ops");
        float[]? bias = null, alpha = null;
        var act = FusedActivation.None;
        int arg = 2;
        foreach (var f in fused)
        {
            switch (f)
            {
                case "BiasAdd": bias = x[arg++].Data; break;
                case "Relu": act = FusedActivation.Relu; break;
                case "Prelu": act = FusedActivation.Prelu; alpha = x[arg++].Data; break;
                default: throw new FaceModelException(FileName, $"fused op '{f}' in node '{node.Name}' is not supported");
            }
        }
        bool depthwise = node.Op.Contains("Depthwise", StringComparison.Ordinal);
        return depthwise
            ? NhwcKernels.DepthwiseConv2D(x[0], x[1], s[1], s[2], padding, bias, act, alpha)
            : NhwcKernels.Conv2D(x[0], x[1], s[1], s[2], padding, bias, act, alpha);
    }

    void CheckNhwc(GraphNode node)
    {
        string format = node.String("data_format", "NHWC");
        if (format != "NHWC") throw new FaceModelException(FileName, $"node '{node.Name}' uses data_format {format}; only NHWC is supported");
    }
}
