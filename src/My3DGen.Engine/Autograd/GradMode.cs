// Thread-local switch for gradient recording. Inside a NoGrad() scope ops record nothing,
// which is how inference and the backward pass itself run.
namespace My3DGen.Engine.Autograd;

public static class GradMode
{
    [ThreadStatic] static int _disabledDepth;

    /// <summary>True when ops should record autograd nodes on this thread.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Disables gradient recording until the returned scope is disposed.</summary>
    public static IDisposable NoGrad() { _disabledDepth++; return new Restore(); }

    sealed class Restore : IDisposable
    {
        bool _done;
        public void Dispose() { if (!_done) { _done = true; _disabledDepth--; } }
    }
}
