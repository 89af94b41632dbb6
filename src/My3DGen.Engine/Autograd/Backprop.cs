// The reverse-mode engine: orders the graph below a tensor topologically, runs each node's
// gradient rule (from OpTable) once with the summed output gradient, and accumulates leaf grads. A leaf's first
// gradient is taken over without a copy when the rule made it in this backward and nothing else refers to it; later
// ones are added in place when the leaf's gradient owns its storage alone.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Autograd;

internal static class Backprop
{
    /// <summary>Diagnostics (the bench's per-rule breakdown): when set, each gradient rule runs between two backend
    /// synchronisations and its wall time in seconds is reported with its op.</summary>
    internal static Action<OpKind, double>? RuleTimer { get; set; }

    public static void Run(Tensor root, Tensor? gradient, bool retainGraph)
    {
        root.CheckAlive("backward");
        if (!root.RequiresGrad)
            throw new AutogradException("backward", $"tensor {TensorException.Fmt(root.Shape)} does not require grad (no input of the graph has RequiresGrad = true)");
        if (gradient == null && root.Numel != 1)
            throw new ShapeMismatchException("backward", $"an explicit gradient is needed for non-scalar output {TensorException.Fmt(root.Shape)}");
        if (gradient != null && !ShapeUtil.SameShape(gradient.Shape, root.Shape))
            throw new ShapeMismatchException("backward", $"gradient shape {TensorException.Fmt(gradient.Shape)} differs from output shape {TensorException.Fmt(root.Shape)}");

        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var seed = gradient ?? Tensor.Ones(root.Backend, root.Shape);
        var referenced = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { seed };   // never taken over
        if (root.IsLeaf) { Accumulate(scope, root, seed, referenced); return; }

        var order = TopologicalOrder(root.GradFn!);
        var grads = new Dictionary<Node, Tensor> { [root.GradFn!] = seed };
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            node.CheckNotReleased();
            if (!grads.TryGetValue(node, out var g)) continue;
            var rule = OpTable.Get(node.Op).Backward
                ?? throw new AutogradException(node.Op.ToString(), "op is not differentiable");
            var timer = RuleTimer;
            long start = 0;
            if (timer != null) { g.Backend.Synchronize(); start = System.Diagnostics.Stopwatch.GetTimestamp(); }
            var inputGrads = rule(node, g);
            if (timer != null) { g.Backend.Synchronize(); timer(node.Op, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds); }
            var inputs = node.Inputs;
            // One tensor returned for several inputs is shared: no leaf may take it over.
            for (int i = 1; i < inputGrads.Length; i++)
                for (int j = 0; j < i; j++)
                    if (inputGrads[i] != null && ReferenceEquals(inputGrads[i], inputGrads[j])) referenced.Add(inputGrads[i]!);
            for (int i = 0; i < inputs.Length; i++)
            {
                var gi = inputGrads[i];
                if (gi == null || !node.NeedsGrad[i]) continue;
                var input = inputs[i];
                if (!ShapeUtil.SameShape(gi.Shape, input.Shape))
                    throw new AutogradException(node.Op.ToString(), $"gradient rule produced {TensorException.Fmt(gi.Shape)} for input {TensorException.Fmt(input.Shape)}");
                if (input.GradFn is { } parent)
                {
                    var sum = grads.TryGetValue(parent, out var prev) ? Elementwise.Add(prev, gi) : gi;
                    grads[parent] = sum;
                    referenced.Add(sum);
                }
                else Accumulate(scope, input, gi, referenced);
            }
            if (!retainGraph) node.Release();
        }
    }

    /// <summary>leaf.Grad += g; the stored gradient outlives the backward scope. The first gradient of a leaf is taken
    /// over as it is when it is dense, sole owner of its storage, made in this backward (held by its scope) and not
    /// referenced elsewhere in the graph (the seed, a node's summed gradient, another leaf's); otherwise it is copied. A later
    /// gradient is added in place when the leaf's gradient owns its storage alone, else into a new tensor.</summary>
    static void Accumulate(TensorScope scope, Tensor leaf, Tensor g, HashSet<Tensor> referenced)
    {
        if (leaf.Grad is { } held && OwnsItsStorage(held) && ReferenceEquals(held.Backend, g.Backend) && !ReferenceEquals(held.Storage, g.Storage))
        {
            // In place, as PyTorch accumulates: no new storage and one pass fewer over (often large) weight gradients.
            held.Backend.Binary(Kernels.BinaryOp.Add, held.Storage, held.View(), g.Storage, g.BroadcastView(held.Shape), held.Storage, (int)held.Numel);
            return;
        }
        Tensor sum;
        if (leaf.Grad != null) sum = Elementwise.Add(leaf.Grad, g);
        else if (CanTakeOver(g, referenced) && scope.TryForget(g)) sum = g;
        else sum = g.Contiguous(forceCopy: true);
        referenced.Add(sum);
        leaf.Grad?.Dispose();
        leaf.Grad = sum == g ? g : scope.Forget(sum);
    }

    static bool CanTakeOver(Tensor g, HashSet<Tensor> referenced) => !referenced.Contains(g) && OwnsItsStorage(g);

    /// <summary>Dense, starting at 0, the whole storage, and no other tensor refers to the storage.</summary>
    static bool OwnsItsStorage(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.Storage.Length == Math.Max(1, t.Numel) && t.Storage.Owners == 1;

    static List<Node> TopologicalOrder(Node root)
    {
        var order = new List<Node>();
        var visited = new HashSet<Node>();
        var stack = new Stack<(Node Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (n, expanded) = stack.Pop();
            if (expanded) { order.Add(n); continue; }
            if (!visited.Add(n)) continue;
            n.CheckNotReleased();
            stack.Push((n, true));
            foreach (var inp in n.Inputs)
                if (inp.GradFn is { } p && !visited.Contains(p)) stack.Push((p, false));
        }
        return order; // children before parents: reversed iteration visits the root first
    }
}
