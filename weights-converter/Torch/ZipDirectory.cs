// Minimal reader for the zip container of torch.save / torch.jit.save files: parses the central
// directory (zip64 aware) and exposes each stored entry as a window into the input, without copying.
using System.Text;
using My3DGen.WeightsConverter.Bytes;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>The entries of a zip archive held in a <see cref="ByteWindow"/>.</summary>
internal sealed class ZipDirectory
{
    readonly ByteWindow _w;
    readonly Dictionary<string, (long LocalHeader, long Size, int Method)> _entries = new(StringComparer.Ordinal);

    /// <summary>Entry names in central-directory order.</summary>
    public List<string> Names { get; } = new();

    ZipDirectory(ByteWindow w) => _w = w;

    public static bool LooksLikeZip(ByteWindow w) =>
        w.Length >= 4 && w.ReadUInt32(0, "zip signature") == 0x04034b50;

    public static ZipDirectory Read(ByteWindow w)
    {
        var z = new ZipDirectory(w);
        long eocd = FindEocd(w);
        long count = w.ReadUInt16(eocd + 10, "zip end record");
        long cdSize = w.ReadUInt32(eocd + 12, "zip end record");
        long cdOffset = w.ReadUInt32(eocd + 16, "zip end record");
        if (count == 0xFFFF || cdOffset == 0xFFFFFFFF || cdSize == 0xFFFFFFFF)
        {
            long loc = eocd - 20;
            if (loc < 0 || w.ReadUInt32(loc, "zip64 locator") != 0x07064b50) throw w.Error(eocd, "zip64 end record locator missing");
            long z64 = (long)Math.Min(w.ReadUInt64(loc + 8, "zip64 locator"), long.MaxValue);
            if (w.ReadUInt32(z64, "zip64 end record") != 0x06064b50) throw w.Error(z64, "bad zip64 end record signature");
            count = (long)Math.Min(w.ReadUInt64(z64 + 32, "zip64 end record"), long.MaxValue);
            cdSize = (long)Math.Min(w.ReadUInt64(z64 + 40, "zip64 end record"), long.MaxValue);
            cdOffset = (long)Math.Min(w.ReadUInt64(z64 + 48, "zip64 end record"), long.MaxValue);
        }
        var cd = w.Slice(cdOffset, cdSize, "zip central directory");
        if (count > cdSize / 46) throw w.Error(eocd, $"zip declares {count} entries, more than its central directory can hold");
        long p = 0;
        for (long i = 0; i < count; i++)
        {
            if (cd.ReadUInt32(p, "zip entry") != 0x02014b50) throw cd.Error(p, "bad zip central directory entry signature");
            int method = cd.ReadUInt16(p + 10, "zip entry");
            long csize = cd.ReadUInt32(p + 20, "zip entry");
            long usize = cd.ReadUInt32(p + 24, "zip entry");
            int nameLen = cd.ReadUInt16(p + 28, "zip entry"), extraLen = cd.ReadUInt16(p + 30, "zip entry"), commentLen = cd.ReadUInt16(p + 32, "zip entry");
            long local = cd.ReadUInt32(p + 42, "zip entry");
            string name = Encoding.UTF8.GetString(cd.Span(p + 46, nameLen, "zip entry name"));
            ReadZip64Extra(cd, p + 46 + nameLen, extraLen, ref usize, ref csize, ref local);
            if (method == 0 && csize != usize) throw cd.Error(p, $"stored zip entry '{name}' has different compressed and uncompressed sizes");
            if (z._entries.TryAdd(name, (local, csize, method))) z.Names.Add(name);
            p += 46 + nameLen + extraLen + commentLen;
        }
        return z;
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The bytes of entry <paramref name="name"/>; only stored (uncompressed) entries are supported.</summary>
    public ByteWindow Entry(string name)
    {
        if (!_entries.TryGetValue(name, out var e)) throw _w.Error(0, $"zip entry '{name}' is missing");
        if (_w.ReadUInt32(e.LocalHeader, "zip local header") != 0x04034b50) throw _w.Error(e.LocalHeader, $"bad local header for zip entry '{name}'");
        if (e.Method != 0) throw _w.Error(e.LocalHeader, $"zip entry '{name}' is compressed (method {e.Method}); torch writes stored entries only");
        long nameLen = _w.ReadUInt16(e.LocalHeader + 26, "zip local header"), extraLen = _w.ReadUInt16(e.LocalHeader + 28, "zip local header");
        return _w.Slice(e.LocalHeader + 30 + nameLen + extraLen, e.Size, $"zip entry '{name}'");
    }

    static long FindEocd(ByteWindow w)
    {
        long min = Math.Max(0, w.Length - 22 - 65535);
        for (long p = w.Length - 22; p >= min; p--)
            if (w.ReadUInt32(p, "zip end record") == 0x06054b50) return p;
        throw w.Error(Math.Max(0, w.Length - 22), "zip end-of-central-directory record not found (truncated file?)");
    }

    static void ReadZip64Extra(ByteWindow cd, long start, int len, ref long usize, ref long csize, ref long local)
    {
        long p = start, end = start + len;
        while (p + 4 <= end)
        {
            int id = cd.ReadUInt16(p, "zip extra"), size = cd.ReadUInt16(p + 2, "zip extra");
            if (id == 0x0001)
            {
                long q = p + 4, qend = Math.Min(p + 4 + size, end);
                if (usize == 0xFFFFFFFF && q + 8 <= qend) { usize = Clamp(cd.ReadUInt64(q, "zip64 extra")); q += 8; }
                if (csize == 0xFFFFFFFF && q + 8 <= qend) { csize = Clamp(cd.ReadUInt64(q, "zip64 extra")); q += 8; }
                if (local == 0xFFFFFFFF && q + 8 <= qend) { local = Clamp(cd.ReadUInt64(q, "zip64 extra")); }
            }
            p += 4 + size;
        }
    }

    static long Clamp(ulong v) => (long)Math.Min(v, long.MaxValue);
}
