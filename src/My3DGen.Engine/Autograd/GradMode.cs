// The switch for gradient recording. Inside a NoGrad() scope ops record nothing, which is how inference and
// the backward pass itself run. The switch follows the async flow (AsyncLocal), not the thread, so a scope
// opened before an `await` still holds after it, whichever thread the continuation runs on.
namespace My3DGen.Engine.Autograd;

/// <summary>
/// Turns autograd recording off for a region of code, like PyTorch's <c>torch.no_grad()</c>.
/// </summary>
/// <remarks>
/// <para><b>Thread-safety contract.</b> The state belongs to the current <em>async flow</em> (the
/// <see cref="System.Threading.ExecutionContext"/>), not to the thread:</para>
/// <list type="bullet">
/// <item>A <see cref="NoGrad"/> scope opened before an <c>await</c> is still in effect after it, on whatever thread the
/// method resumes.</item>
/// <item>Work started inside the scope (<c>Task.Run</c>, <c>Parallel.For</c>, a new <see cref="Thread"/>) inherits it;
/// scopes opened inside such work do not leak back to the code that started it. Unrelated threads are never affected.</item>
/// <item>A scope ends when it is disposed, on any thread. Dispose it in the method that opened it (a <c>using</c>
/// statement): a scope opened inside an <c>async</c> helper ends for the caller when the helper returns, because
/// changes made inside an async method do not flow back to its caller.</item>
/// </list>
/// </remarks>
public static class GradMode
{
    static readonly AsyncLocal<NoGradScope?> Innermost = new();

    /// <summary>True when ops should record autograd nodes in the current async flow.</summary>
    public static bool IsEnabled
    {
        get
        {
            for (var s = Innermost.Value; s != null; s = s.Outer)
                if (!s.IsDisposed) return false;
            return true;
        }
    }

    /// <summary>Disables gradient recording in the current async flow until the returned scope is disposed.</summary>
    /// <returns>The scope; disposing it (once or more, from any thread) ends it.</returns>
    public static IDisposable NoGrad()
    {
        var scope = new NoGradScope(Innermost.Value);
        Innermost.Value = scope;
        return scope;
    }

    /// <summary>One NoGrad region. Scopes chain to the one that was innermost when they were opened; a disposed scope
    /// no longer counts, so a scope disposed from another flow cannot leave recording off (or on) by mistake.</summary>
    sealed class NoGradScope(NoGradScope? outer) : IDisposable
    {
        volatile bool _disposed;
        public NoGradScope? Outer { get; } = outer;
        public bool IsDisposed => _disposed;

        public void Dispose()
        {
            _disposed = true;
            // In the flow that opened it, step back to the enclosing scope so the chain stays short.
            if (ReferenceEquals(Innermost.Value, this)) Innermost.Value = Outer;
        }
    }
}
