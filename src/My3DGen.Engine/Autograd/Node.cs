// One recorded op in the autograd graph: which op, its inputs, what its gradient rule needs
// (state and optionally the output), and whether the saved data was already released by a backward.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Autograd;

/// <summary>A node of the reverse-mode graph; created by ops when any input requires grad.</summary>
public sealed class Node
{
    /// <summary>The op that produced the output.</summary>
    public OpKind Op { get; }
    Tensor[]? _inputs;
    Tensor? _output;
    object? _state;
    /// <summary>Per input: whether a gradient must be produced for it (false for frozen weights and constants).</summary>
    public bool[] NeedsGrad { get; }
    /// <summary>True once backward has freed the saved tensors.</summary>
    public bool Released { get; private set; }

    internal Node(OpKind op, Tensor[] inputs, object? state, Tensor? output)
    {
        Op = op; _inputs = inputs; _state = state; _output = output;
        NeedsGrad = inputs.Select(i => i.RequiresGrad).ToArray();
    }

    /// <summary>The op's inputs (throws after release).</summary>
    public Tensor[] Inputs => _inputs ?? throw Freed();
    /// <summary>The op's output (only for ops whose rule needs it, e.g. exp, sigmoid).</summary>
    public Tensor Output => _output ?? throw new AutogradException(Op.ToString(), "gradient rule asked for an output that was not saved");
    /// <summary>The op-specific state saved by the forward pass.</summary>
    public T State<T>() => _state is T t ? t : throw new AutogradException(Op.ToString(), $"missing saved state of type {typeof(T).Name}");

    internal void Release() { _inputs = null; _output = null; _state = null; Released = true; }

    Exception Freed() => new AutogradException(Op.ToString(),
        "backward through the graph a second time: its saved tensors were already freed (pass retainGraph: true to the first Backward)");

    internal void CheckNotReleased() { if (Released) throw Freed(); }

    /// <summary>Records <paramref name="output"/> as produced by <paramref name="op"/> when grad mode is on and any input requires grad.</summary>
    internal static void Record(Tensor output, OpKind op, Tensor[] inputs, object? state = null, bool saveOutput = false)
    {
        if (!GradMode.IsEnabled) return;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return;
        output.MarkRequiresGrad();
        output.GradFn = new Node(op, inputs, state, saveOutput ? output : null);
    }
}
