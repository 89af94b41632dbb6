// The one table of gradient rules: for every OpKind, its backward rule (beside its forward in the
// op family file) and the IBackend primitive(s) that implement it on every backend.
using My3DGen.Kernels;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Ops;

/// <summary>Computes input gradients from the output gradient; entries are null for inputs that need none.</summary>
internal delegate Tensor?[] GradientRule(Node node, Tensor gradOutput);

/// <summary>Registry row: the op, its gradient rule (null = not differentiable) and the backend primitives it uses.</summary>
internal sealed record OpInfo(OpKind Kind, GradientRule? Backward, string[] Primitives);

internal static class OpTable
{
    static readonly Dictionary<OpKind, OpInfo> Table = Build();

    public static OpInfo Get(OpKind kind) =>
        Table.TryGetValue(kind, out var info) ? info : throw new InvalidOperationException($"op {kind} has no OpTable entry");

    public static bool Contains(OpKind kind) => Table.ContainsKey(kind);

    static Dictionary<OpKind, OpInfo> Build()
    {
        var t = new Dictionary<OpKind, OpInfo>();
        void Add(OpKind k, GradientRule? rule, params string[] prims) => t.Add(k, new OpInfo(k, rule, prims));

        // Every unary operator's gradient comes from its operator struct's Derivative.
        foreach (var op in Enum.GetValues<UnaryOp>()) Add(Elementwise.KindOf(op), Elementwise.UnaryBackward, "Unary", "UnaryGrad");
        foreach (var op in Enum.GetValues<BinaryOp>()) Add(Elementwise.KindOf(op), Elementwise.BinaryBackward, "Binary");
        Add(OpKind.Sum, Reductions.SumBackward, "ReduceLastAxis");
        Add(OpKind.Mean, Reductions.MeanBackward, "ReduceLastAxis", "Unary");
        Add(OpKind.Max, Reductions.MaxBackward, "ReduceLastAxis", "UnaryGrad", "Binary");
        Add(OpKind.MatMul, LinearAlgebra.MatMulBackward, "Gemm");
        Add(OpKind.Conv2d, Convolution.Conv2dBackward, "Conv2dForward", "Conv2dBackwardInput", "Conv2dBackwardWeight");
        Add(OpKind.ConvTranspose2d, Convolution.Conv2dBackward, "Conv2dBackwardInput", "Conv2dForward", "Conv2dBackwardWeight");
        Add(OpKind.Fir2d, Filtering.Fir2dBackward, "Fir2d", "ReduceLastAxis");
        Add(OpKind.ModulatedConv, ModulatedConvolution.Backward, "ModConvForward", "ModConvEpilogue", "ModConvEpilogueBackward",
            "ModConvBackwardData", "ModConvBackwardWeights", "Fir2d", "ReduceLastAxis", "Binary");
        Add(OpKind.WeightSquareSums, ModulatedConvolution.WeightSquareSumsBackward, "Unary", "ReduceLastAxis", "Binary");
        Add(OpKind.Reshape, ShapeOps.ReshapeBackward, "Copy");
        Add(OpKind.Permute, ShapeOps.PermuteBackward, "Copy");
        Add(OpKind.Slice, ShapeOps.SliceBackward, "Copy", "Fill");
        Add(OpKind.Concat, ShapeOps.ConcatBackward, "Copy");
        Add(OpKind.Pad, ShapeOps.PadBackward, "Copy", "Fill");
        Add(OpKind.Expand, ShapeOps.ExpandBackward, "ReduceLastAxis");
        Add(OpKind.Contiguous, ShapeOps.ContiguousBackward, "Copy");
        Add(OpKind.IndexSelect, Indexing.IndexSelectBackward, "IndexSelect", "IndexAdd");
        Add(OpKind.ResizeBilinear, Resampling.ResizeBackward, "ApplyAxisWeights");
        Add(OpKind.ResizeArea, Resampling.ResizeBackward, "ApplyAxisWeights");
        Add(OpKind.AvgPool2d, Pooling.PoolBackward, "Pool2d", "Pool2dGrad");
        Add(OpKind.MaxPool2d, Pooling.PoolBackward, "Pool2d", "Pool2dGrad");
        Add(OpKind.TriplaneDecode, VolumeRendering.TriplaneDecodeBackward, "TriplaneDecode", "TriplaneDecodeBackward");
        Add(OpKind.RayMarch, VolumeRendering.MarchBackward, "MarchRays", "MarchRaysBackward");
        return t;
    }
}
