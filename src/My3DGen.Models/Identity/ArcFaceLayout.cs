// The module layout of ArcFace IR-SE50 (TreB1eN InsightFace_Pytorch Backbone(50, 'ir_se'), the model_ir_se50.pth
// that pSp/e4e/PTI/MyStyle/My3DGen use): the 24 bottleneck_IR_SE units and every state-dict tensor name and shape.
namespace My3DGen.Models.Identity;

/// <summary>One bottleneck_IR_SE unit: `body.{Index}` maps In → Depth channels with the given stride.</summary>
internal sealed record IrSeUnit(int Index, int In, int Depth, int Stride)
{
    /// <summary>A conv1×1 + BN shortcut when the channel count changes; otherwise MaxPool2d(1, stride).</summary>
    public bool ConvShortcut => In != Depth;
}

internal static class ArcFaceLayout
{
    /// <summary>Stages (depth, units) of the 50-layer network; the first unit of each stage has stride 2.</summary>
    static readonly (int Depth, int Units)[] Stages = [(64, 3), (128, 4), (256, 14), (512, 3)];

    /// <summary>Input side (112) and the embedding size (512).</summary>
    public const int InputSize = 112, EmbeddingSize = 512, FinalSide = 7;

    /// <summary>The 24 units in order.</summary>
    public static IReadOnlyList<IrSeUnit> Units { get; } = BuildUnits();

    static List<IrSeUnit> BuildUnits()
    {
        var units = new List<IrSeUnit>();
        int inC = 64;
        foreach (var (depth, count) in Stages)
            for (int u = 0; u < count; u++) { units.Add(new IrSeUnit(units.Count, u == 0 ? inC : depth, depth, u == 0 ? 2 : 1)); inC = depth; }
        return units;
    }

    /// <summary>Every tensor the network reads, with its shape, in the order random weights draw them (BN buffers included;
    /// `num_batches_tracked` is not read).</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Tensors { get; } = BuildTensors();

    static List<(string, int[])> BuildTensors()
    {
        var t = new List<(string, int[])>();
        void Bn(string p, int c) { foreach (var n in new[] { "weight", "bias", "running_mean", "running_var" }) t.Add(($"{p}.{n}", [c])); }
        t.Add(("input_layer.0.weight", [64, 3, 3, 3])); Bn("input_layer.1", 64); t.Add(("input_layer.2.weight", [64]));
        foreach (var u in Units)
        {
            string p = $"body.{u.Index}";
            if (u.ConvShortcut) { t.Add(($"{p}.shortcut_layer.0.weight", [u.Depth, u.In, 1, 1])); Bn($"{p}.shortcut_layer.1", u.Depth); }
            Bn($"{p}.res_layer.0", u.In);
            t.Add(($"{p}.res_layer.1.weight", [u.Depth, u.In, 3, 3]));
            t.Add(($"{p}.res_layer.2.weight", [u.Depth]));
            t.Add(($"{p}.res_layer.3.weight", [u.Depth, u.Depth, 3, 3]));
            Bn($"{p}.res_layer.4", u.Depth);
            t.Add(($"{p}.res_layer.5.fc1.weight", [u.Depth / 16, u.Depth, 1, 1]));
            t.Add(($"{p}.res_layer.5.fc2.weight", [u.Depth, u.Depth / 16, 1, 1]));
        }
        Bn("output_layer.0", 512);
        t.Add(("output_layer.3.weight", [EmbeddingSize, 512 * FinalSide * FinalSide]));
        t.Add(("output_layer.3.bias", [EmbeddingSize]));
        Bn("output_layer.4", EmbeddingSize);
        return t;
    }
}
