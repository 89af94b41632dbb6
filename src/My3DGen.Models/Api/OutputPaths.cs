// Checks on the outputs a front end is asked to write, done before any work: a folder output must not be a file, a
// file output must not be a folder, and the folder must accept files (a read-only folder fails now, not at the first
// checkpoint). Also removes temp files that a killed run left next to an output (AtomicFile's ".name.pid.guid.tmp").
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace My3DGen.Models.Api;

/// <summary>Up-front checks and clean-up of output paths.</summary>
public static partial class OutputPaths
{
    /// <summary>Creates <paramref name="folder"/> if needed and checks that files can be written in it.</summary>
    /// <exception cref="OutputFileException">The path is a file, or the folder cannot be created or written.</exception>
    public static void PrepareFolder(string folder)
    {
        if (File.Exists(folder)) throw new OutputFileException(folder, "is a file; the output must be a folder");
        Probe(folder, folder);
    }

    /// <summary>Checks that <paramref name="path"/> can be written as a file: not a folder, and its folder writable.</summary>
    /// <exception cref="OutputFileException">The path is a folder, or its folder cannot be created or written.</exception>
    public static void PrepareFile(string path)
    {
        if (Directory.Exists(path)) throw new OutputFileException(path, "is a folder; pass a file path");
        Probe(Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Deletes temp files of atomic writes to <paramref name="path"/> left by processes that no longer run; returns how many.</summary>
    public static int RemoveStaleTemps(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        foreach (var tmp in Directory.EnumerateFiles(dir, $".{Path.GetFileName(full)}.*.tmp"))
        {
            var m = TempName().Match(Path.GetFileName(tmp));
            if (!m.Success || IsRunning(int.Parse(m.Groups[1].Value))) continue;
            try { File.Delete(tmp); removed++; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    static void Probe(string folder, string requested)
    {
        var probe = Path.Combine(folder, $".my3dgen-probe.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(requested, $"cannot write in {folder}: {OutputFileException.Reason(e)}", e);
        }
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    [GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();
}
