// Output files of a training run (adapter, checkpoint): stale temp files left beside them by killed runs are removed,
// the folder is probed for writability before any work, and a failed write names the requested path only.
using System.Text.RegularExpressions;

namespace My3DGen.Personalization.Files;

/// <summary>Helpers around the atomic writes (temp file + rename) of adapter and checkpoint files.</summary>
internal static partial class OutputFiles
{
    /// <summary>Runs <paramref name="write"/>(<paramref name="path"/>); an IO failure becomes an <see cref="OutputWriteException"/>
    /// naming <paramref name="path"/> (the temp file's name is replaced by it).</summary>
    public static void Write(string path, Action<string> write)
    {
        try { write(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException(path, Reason(e, path), e);
        }
    }

    /// <summary>Checks before training that <paramref name="path"/>'s folder exists (or can be created) and accepts a new
    /// file, by creating and deleting a probe file there.</summary>
    /// <exception cref="OutputWriteException">The folder cannot be created or written.</exception>
    public static void EnsureWritable(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var probe = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.probe.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException(path, Reason(e, path), e);
        }
    }

    /// <summary>Deletes temp files that killed runs left beside <paramref name="path"/> (".&lt;name&gt;.&lt;pid&gt;.*.tmp" whose
    /// process is no longer running). Returns how many were removed.</summary>
    public static int CleanStaleTemps(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        var prefix = "." + Path.GetFileName(full) + ".";
        foreach (var tmp in Directory.EnumerateFiles(dir, prefix + "*.tmp"))
        {
            var rest = Path.GetFileName(tmp)[prefix.Length..];
            int dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest[..dot], out int pid) || IsRunning(pid)) continue;
            try { File.Delete(tmp); removed++; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    static string Reason(Exception e, string path) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "folder not found",
        _ => TempName().Replace(e.Message, Path.GetFileName(path)),
    };

    [GeneratedRegex(@"[^\s'""]*\.[^\s'""/\\]+\.\d+\.[0-9a-f]{32}\.tmp")]
    private static partial Regex TempName();
}
