// Decodes torch files into the neutral object tree: plain pickles (EG3D snapshots), the legacy
// torch.save format (also used for storage blobs inside EG3D pickles), the zip format and TorchScript
// archives. Storages become windows into the input; nothing is copied until the output is written.
using System.Numerics;
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Bytes;
using My3DGen.WeightsConverter.Pickle;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>The container a torch/pickle input was stored in.</summary>
internal enum TorchContainer { Pickle, Legacy, Zip, TorchScript }

/// <summary>A decoded torch or pickle file: its root object and, for TorchScript, its constants.</summary>
internal sealed record LoadedTorch(TorchContainer Container, object? Root, PyTuple? Constants);

internal static class TorchLoader
{
    static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356");
    const long LegacyProtocol = 1001;

    /// <summary>Decodes a whole input file.</summary>
    public static LoadedTorch Load(ByteWindow w, PickleSession s)
    {
        if (w.Length == 0) throw w.Error(0, "file is empty");
        if (ZipDirectory.LooksLikeZip(w)) return LoadZip(w, s);
        var first = new PickleReader(w, s);
        var obj = first.Load();
        if (IsLegacyMagic(obj)) return new LoadedTorch(TorchContainer.Legacy, LoadLegacy(w, s, first.Position), null);
        if (obj is BigInteger or long) throw w.Error(0, $"wrong magic number {obj}: not a torch.save file");
        return new LoadedTorch(TorchContainer.Pickle, obj, null);
    }

    /// <summary>Decodes a storage serialized by torch.storage._load_from_bytes (a nested torch.save stream).</summary>
    public static TorchStorage LoadStorageBlob(ByteWindow blob, PickleSession s)
    {
        if (s.Nesting >= PickleSession.MaxNesting) throw blob.Error(0, "torch blobs nested too deeply");
        s.Nesting++;
        try
        {
            object? root;
            if (ZipDirectory.LooksLikeZip(blob)) root = LoadZip(blob, s).Root;
            else
            {
                var first = new PickleReader(blob, s);
                if (!IsLegacyMagic(first.Load())) throw blob.Error(0, "storage blob does not start with the torch.save magic number");
                root = LoadLegacy(blob, s, first.Position);
            }
            return root as TorchStorage ?? throw blob.Error(0, $"storage blob holds {PickleReader.Describe(root)}, not a storage");
        }
        finally { s.Nesting--; }
    }

    static bool IsLegacyMagic(object? o) => o is BigInteger b && b == LegacyMagic;

    // ---- legacy torch.save -------------------------------------------------------------------

    static object? LoadLegacy(ByteWindow w, PickleSession s, long pos)
    {
        var protoReader = new PickleReader(w, s);
        var proto = protoReader.Load(pos);
        if (!PyInt.TryGet(proto, out long p) || p != LegacyProtocol)
            throw w.Error(pos, $"unsupported legacy torch protocol {proto ?? "None"} (expected 1001)");
        pos = protoReader.Position;
        var sysReader = new PickleReader(w, s);
        if (sysReader.Load(pos) is PyDict sys && sys.Get("little_endian") is false)
            throw w.Error(pos, "big-endian torch files are not supported");
        pos = sysReader.Position;

        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var main = new PickleReader(w, s, (pid, at) => LegacyPersistent(pid, at, storages, s));
        var root = main.Load(pos);
        pos = main.Position;

        var keysReader = new PickleReader(w, s);
        var keys = keysReader.Load(pos) as PyList ?? throw w.Error(pos, "legacy torch file: storage key list missing");
        pos = keysReader.Position;
        foreach (var k in keys.Items)
        {
            string key = KeyString(k) ?? throw w.Error(pos, "legacy torch file: storage key is not a string");
            if (!storages.TryGetValue(key, out var st)) throw w.Error(pos, $"storage '{key}' has data but is never referenced");
            long count = w.ReadInt64(pos, $"element count of storage '{key}'");
            if (count != st.Numel) throw w.Error(pos, $"storage '{key}' has {count} elements in the file but {st.Numel} were declared");
            pos += 8;
            long bytes = count * st.DType.Size(); // count == Numel, validated when declared
            st.Resolve(w.Slice(pos, bytes, $"data of storage '{key}'"));
            pos += bytes;
        }
        foreach (var st in storages.Values)
            if (st.ViewOf == null) st.Bytes(s.FilePath); // throws for a storage that never got data
        return root;
    }

    static object? LegacyPersistent(object? pid, long at, Dictionary<string, TorchStorage> storages, PickleSession s)
    {
        if (pid is not PyTuple t || t.Count == 0 || t.Items[0] is not string tag)
            throw new WeightsFormatException(s.FilePath, "persistent id is not a tagged tuple", at);
        if (tag == "module" && t.Count >= 2) return t.Items[1];
        if (tag != "storage" || t.Count < 5)
            throw new WeightsFormatException(s.FilePath, $"unsupported persistent id '{tag}'", at);
        var root = Declare(t, storages, s, at);
        if (t.Count >= 6 && t.Items[5] is PyTuple view)
        {
            if (view.Count != 3 || KeyString(view.Items[0]) is not { } viewKey || !PyInt.TryGet(view.Items[1], out long off) || !PyInt.TryGet(view.Items[2], out long size))
                throw new WeightsFormatException(s.FilePath, "malformed storage view metadata", at);
            if (off < 0 || size < 0 || off > root.Numel || size > root.Numel - off)
                throw new WeightsFormatException(s.FilePath, $"storage view [{off}, +{size}) lies outside storage '{root.Key}' of {root.Numel} elements", at);
            if (storages.TryGetValue(viewKey, out var existing)) return existing;
            var v = new TorchStorage(root.DType, size, viewKey, at) { ViewOf = (root, off) };
            storages[viewKey] = v;
            return v;
        }
        return root;
    }

    // ---- zip / TorchScript -------------------------------------------------------------------

    static LoadedTorch LoadZip(ByteWindow w, PickleSession s)
    {
        var zip = ZipDirectory.Read(w);
        string dataPkl = zip.Names.FirstOrDefault(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - 9)
            ?? throw w.Error(0, "zip file has no <archive>/data.pkl: not a torch file");
        string prefix = dataPkl[..^8];
        if (zip.Contains(prefix + "byteorder"))
        {
            var bo = zip.Entry(prefix + "byteorder");
            if (bo.Length < 6 && System.Text.Encoding.ASCII.GetString(bo.Span(0, (int)bo.Length, "byteorder")) == "big")
                throw bo.Error(0, "big-endian torch files are not supported");
        }
        bool script = zip.Contains(prefix + "constants.pkl") || zip.Names.Any(n => n.StartsWith(prefix + "code/", StringComparison.Ordinal));
        var root = LoadArchivePickle(zip, prefix, "data", s);
        PyTuple? constants = null;
        if (zip.Contains(prefix + "constants.pkl"))
            constants = LoadArchivePickle(zip, prefix, "constants", s) as PyTuple;
        return new LoadedTorch(script ? TorchContainer.TorchScript : TorchContainer.Zip, root, constants);
    }

    static object? LoadArchivePickle(ZipDirectory zip, string prefix, string archive, PickleSession s)
    {
        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var reader = new PickleReader(zip.Entry(prefix + archive + ".pkl"), s, (pid, at) =>
        {
            if (pid is not PyTuple t || t.Count < 5 || t.Items[0] is not "storage")
                throw new WeightsFormatException(s.FilePath, "unsupported persistent id in zip torch file", at);
            var st = Declare(t, storages, s, at);
            if (st.Data == null)
            {
                string name = $"{prefix}{archive}/{st.Key}";
                if (!zip.Contains(name) && zip.Contains($"{prefix}.data/{st.Key}")) name = $"{prefix}.data/{st.Key}";
                if (!zip.Contains(name)) throw new WeightsFormatException(s.FilePath, $"storage '{st.Key}' has no zip entry '{name}'", at);
                st.Resolve(zip.Entry(name));
            }
            return st;
        });
        return reader.Load();
    }

    /// <summary>Returns the storage for a ('storage', type, key, location, numel, …) id, declaring it on first use.</summary>
    static TorchStorage Declare(PyTuple t, Dictionary<string, TorchStorage> storages, PickleSession s, long at)
    {
        if (t.Items[1] is not PyGlobal g || !TorchStorageTypes.TryGet(g.Module, g.Name, out StoredDType dtype))
            throw new WeightsFormatException(s.FilePath, $"storage type is {PickleReader.Describe(t.Items[1])}, not a torch storage class", at);
        string key = KeyString(t.Items[2]) ?? throw new WeightsFormatException(s.FilePath, "storage key is not a string", at);
        if (!PyInt.TryGet(t.Items[4], out long numel) || numel < 0 || numel > long.MaxValue / 8)
            throw new WeightsFormatException(s.FilePath, $"storage '{key}' has an invalid element count", at);
        if (storages.TryGetValue(key, out var st))
        {
            if (st.DType != dtype || st.Numel != numel)
                throw new WeightsFormatException(s.FilePath, $"storage '{key}' is declared twice with different types or sizes", at);
            return st;
        }
        st = new TorchStorage(dtype, numel, key, at);
        storages[key] = st;
        return st;
    }

    static string? KeyString(object? o) => o switch
    {
        string str => str,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
