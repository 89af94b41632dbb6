// Runs my3dgen in-process (CliApp.Run with captured stdout/stderr, fast) or as a child process (dotnet my3dgen.dll,
// for signals and for runs inside a private tmpfs mount), and returns exit code and output.
using System.Diagnostics;
using System.Runtime.InteropServices;
using My3DGen.Cli;

namespace My3DGen.Cli.Tests;

/// <summary>The result of one my3dgen run.</summary>
internal sealed record CliRun(int Code, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    public override string ToString() => $"exit {Code}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

internal static class CliRunner
{
    /// <summary>my3dgen in this process.</summary>
    public static CliRun Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = CliApp.Run(args, o, e);
        return new CliRun(code, o.ToString(), e.ToString());
    }

    /// <summary>The dotnet host and my3dgen.dll next to the tests.</summary>
    public static (string Host, string Dll) Executable()
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "my3dgen.dll");
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return (File.Exists(host) ? host : "dotnet", dll);
    }

    /// <summary>Starts my3dgen as a child process (stdout/stderr redirected).</summary>
    public static Process Start(params string[] args)
    {
        var (host, dll) = Executable();
        // A test run started in the background by a non-interactive shell inherits SIGINT as ignored, and the runtime keeps
        // an ignored SIGINT ignored in the child: reset it (coreutils env) so the signal tests see what a terminal user gets.
        bool resetSigInt = SigIntIgnored() && File.Exists("/usr/bin/env");
        var psi = new ProcessStartInfo(resetSigInt ? "/usr/bin/env" : host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (resetSigInt) { psi.ArgumentList.Add("--default-signal=INT"); psi.ArgumentList.Add(host); }
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status; false where that file is absent).</summary>
    static bool SigIntIgnored()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line != null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Runs a shell script (for mounts and limits) that may call "$MY3DGEN" (the child command line).</summary>
    public static CliRun Shell(string script, int timeoutMs = 120_000)
    {
        var (host, dll) = Executable();
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["MY3DGEN"] = $"{host} {dll}";
        using var p = Process.Start(psi)!;
        return Finish(p, timeoutMs);
    }

    /// <summary>Waits for a child and collects its output.</summary>
    public static CliRun Finish(Process p, int timeoutMs = 120_000)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); Assert.Fail("my3dgen child did not finish in time"); }
        p.WaitForExit();
        return new CliRun(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Sends a POSIX signal (SIGINT 2, SIGTERM 15, SIGKILL 9) to a process.</summary>
    public static void Signal(Process p, int signal) => Assert.That(kill(p.Id, signal), Is.Zero, "kill() failed");

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
