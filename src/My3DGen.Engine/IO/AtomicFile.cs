// Atomic file creation: write to a temp file in the same folder, flush, then rename over the target.
// A failure at any point deletes the temp file, so no half-written output is ever left behind.
namespace My3DGen.Engine.IO;

/// <summary>Writes files so a reader never sees a half-written file (temporary file, then rename).</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> against a temp stream and moves it to <paramref name="path"/> on success.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        Write(path, s => s.Write(copy));
    }
}
