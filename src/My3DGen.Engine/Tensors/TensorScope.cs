// Deterministic release of device memory: every tensor created while a scope is active is
// disposed when the scope ends, except the ones explicitly kept. Scopes nest per thread.
namespace My3DGen.Engine.Tensors;

/// <summary>Collects tensors created on this thread and disposes them at the end of a using block.</summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] static TensorScope? _current;
    readonly TensorScope? _parent;
    readonly List<Tensor> _owned = new();
    bool _disposed;

    TensorScope() { _parent = _current; _current = this; }

    /// <summary>Starts a scope; dispose it to release every tensor created inside that was not kept.</summary>
    public static TensorScope Begin() => new();

    internal static void Track(Tensor t) => _current?._owned.Add(t);

    /// <summary>Moves <paramref name="t"/> out of this scope into the enclosing one (or none) and returns it.</summary>
    public Tensor Keep(Tensor t)
    {
        _owned.Remove(t);
        _parent?._owned.Add(t);
        return t;
    }

    /// <summary>Removes <paramref name="t"/> from this scope without handing it to any other: the caller owns it.</summary>
    public Tensor Forget(Tensor t)
    {
        _owned.Remove(t);
        return t;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _current = _parent;
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}
