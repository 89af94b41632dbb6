// A per-thread choice between implementations (conv route, up-conv form) that reference tests and side-by-side benches
// switch for a scope: the default unless a Use scope is open on the calling thread.
namespace My3DGen.Models.Synthesis;

/// <summary>The calling thread's choice of <typeparamref name="T"/> (one slot per enum type).</summary>
internal static class ThreadChoice<T> where T : struct, Enum
{
    [ThreadStatic] static T? _override;

    /// <summary>The value chosen on this thread, or <paramref name="defaultValue"/> outside any <see cref="Use"/> scope.</summary>
    public static T Current(T defaultValue) => _override ?? defaultValue;

    /// <summary>Chooses <paramref name="value"/> on this thread until the returned scope is disposed (scopes nest).</summary>
    public static IDisposable Use(T value)
    {
        var previous = _override;
        _override = value;
        return new Scope(previous);
    }

    sealed class Scope(T? previous) : IDisposable
    {
        public void Dispose() => _override = previous;
    }
}
