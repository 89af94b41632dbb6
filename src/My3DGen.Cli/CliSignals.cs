// Turns Ctrl-C (SIGINT, Console.CancelKeyPress) and SIGTERM into a CancellationToken that the verbs pass to the library,
// so a run stops between steps, saves what it can and exits 130. A second signal ends the process the default way.
using System.Runtime.InteropServices;

namespace My3DGen.Cli;

/// <summary>The process's cancellation by signal; dispose to unregister.</summary>
internal sealed class CliSignals : IDisposable
{
    readonly CancellationTokenSource _cts = new();
    readonly List<PosixSignalRegistration> _registrations = new();

    /// <summary>Cancelled on the first Ctrl-C or SIGTERM.</summary>
    public CancellationToken Token => _cts.Token;

    CliSignals() { }

    /// <summary>Registers the handlers.</summary>
    public static CliSignals Install()
    {
        var s = new CliSignals();
        if (OperatingSystem.IsWindows()) Console.CancelKeyPress += s.OnCancelKeyPress;
        else
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                s._registrations.Add(PosixSignalRegistration.Create(signal, s.OnSignal));
        return s;
    }

    void OnSignal(PosixSignalContext context) => context.Cancel = Cancel();

    void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Cancel();

    /// <summary>Cancels the token on the first signal (keep running, cooperatively); lets the second one end the process.</summary>
    bool Cancel()
    {
        if (_cts.IsCancellationRequested) return false;
        _cts.Cancel();
        return true;
    }

    /// <summary>Unregisters the handlers.</summary>
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
