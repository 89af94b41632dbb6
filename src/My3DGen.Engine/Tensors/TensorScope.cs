// Deterministic release of device memory: every tensor created while a scope is active is disposed when the
// scope ends, except the ones explicitly kept. Scopes nest and follow the async flow (AsyncLocal), not the
// thread, so a scope opened before an `await` still collects the tensors created after it.
namespace My3DGen.Engine.Tensors;

/// <summary>Collects the tensors created in the current async flow and disposes them at the end of a using block.</summary>
/// <remarks>
/// <para><b>Thread-safety contract.</b> The active scope belongs to the current <em>async flow</em> (the
/// <see cref="System.Threading.ExecutionContext"/>), not to the thread:</para>
/// <list type="bullet">
/// <item>A scope opened before an <c>await</c> still collects the tensors created after it, on whatever thread the
/// method resumes.</item>
/// <item>Work started inside the scope (<c>Task.Run</c>, <c>Parallel.For</c>, a new <see cref="Thread"/>) inherits it,
/// and tensors created there are collected too; collecting is thread-safe. Scopes opened inside such work do not
/// leak back to the code that started it. Unrelated threads are never affected.</item>
/// <item><see cref="Dispose"/>, <see cref="Keep"/> and <see cref="Forget"/> may be called from any thread. Disposing
/// releases every tensor the scope holds at that moment; from then on the scope collects nothing, and tensors
/// created in a flow where it was the innermost scope go to the nearest enclosing scope that is still open (or to
/// none). Do not dispose a scope while another thread is still using the tensors it holds.</item>
/// <item>Dispose a scope in the method that opened it (a <c>using</c> statement): a scope opened inside an
/// <c>async</c> helper stops being the caller's active scope when the helper returns.</item>
/// </list>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    static readonly AsyncLocal<TensorScope?> Innermost = new();
    readonly TensorScope? _parent;
    readonly List<Tensor> _owned = new();
    bool _disposed;

    TensorScope()
    {
        _parent = Innermost.Value;
        Innermost.Value = this;
    }

    /// <summary>Starts a scope in the current async flow; dispose it to release every tensor created inside that was not kept.</summary>
    /// <returns>The new scope, now the innermost one of the current async flow.</returns>
    public static TensorScope Begin() => new();

    /// <summary>Hands a new tensor to the innermost open scope of the current async flow, if any.</summary>
    internal static void Track(Tensor t) => AddToNearestOpen(Innermost.Value, t);

    /// <summary>Moves <paramref name="t"/> out of this scope into the nearest enclosing open scope (or none) and returns it.</summary>
    /// <param name="t">A tensor created inside this scope.</param>
    /// <returns><paramref name="t"/>, for chaining.</returns>
    public Tensor Keep(Tensor t)
    {
        Forget(t);
        AddToNearestOpen(_parent, t);
        return t;
    }

    /// <summary>Removes <paramref name="t"/> from this scope without handing it to any other: the caller owns it.</summary>
    /// <param name="t">A tensor created inside this scope.</param>
    /// <returns><paramref name="t"/>, for chaining.</returns>
    public Tensor Forget(Tensor t)
    {
        lock (_owned) _owned.Remove(t);
        return t;
    }

    /// <summary>Removes <paramref name="t"/> when this scope holds it (the caller then owns it); false when it does not.</summary>
    internal bool TryForget(Tensor t)
    {
        lock (_owned) return _owned.Remove(t);
    }

    /// <summary>Ends the scope (from any thread) and disposes every tensor it still holds. Calling it again does nothing.</summary>
    public void Dispose()
    {
        Tensor[] owned;
        lock (_owned)
        {
            if (_disposed) return;
            _disposed = true;
            owned = _owned.ToArray();
            _owned.Clear();
        }
        // In the flow that opened it, step back to the enclosing scope so the chain stays short.
        if (ReferenceEquals(Innermost.Value, this)) Innermost.Value = _parent;
        foreach (var t in owned) t.Dispose();
    }

    /// <summary>Adds <paramref name="t"/> to the first scope from <paramref name="from"/> outwards that is still open.</summary>
    static void AddToNearestOpen(TensorScope? from, Tensor t)
    {
        for (var s = from; s != null; s = s._parent)
            if (s.TryAdd(t)) return;
    }

    /// <summary>Adds <paramref name="t"/> unless the scope is disposed; returns whether it did.</summary>
    bool TryAdd(Tensor t)
    {
        lock (_owned)
        {
            if (_disposed) return false;
            _owned.Add(t);
            return true;
        }
    }
}
