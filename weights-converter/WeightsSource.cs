// Opens any supported input (EG3D .pkl, legacy/zip torch .pt/.pth, TorchScript, .npy, .safetensors) and
// presents it uniformly: the tensors to convert, the metadata to write and what the file references.
// Shared by WeightsConverter and WeightsInspector; the input stays memory-mapped until Dispose.
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Bytes;
using My3DGen.WeightsConverter.Model;
using My3DGen.WeightsConverter.Pickle;
using My3DGen.WeightsConverter.Torch;

namespace My3DGen.WeightsConverter;

/// <summary>A decoded input file. Dispose to release the mapping.</summary>
internal sealed class WeightsSource : IDisposable
{
    /// <summary>Metadata value of "format" for EG3D generator snapshots.</summary>
    public const string Eg3dFormat = "my3dgen-eg3d-v1";
    /// <summary>Metadata value of "format" for other torch weights.</summary>
    public const string TorchFormat = "my3dgen-torch-v1";
    /// <summary>Metadata value of "format" for converted .npy arrays (one tensor named "latent").</summary>
    public const string NpyFormat = "my3dgen-npy-v1";

    readonly IDisposable? _owner;

    WeightsSource(string path, string container, IDisposable? owner)
    {
        Path = path; Container = container; _owner = owner;
    }

    public string Path { get; }
    /// <summary>"pickle", "torch-legacy", "torch-zip", "torchscript", "npy" or "safetensors".</summary>
    public string Container { get; }
    /// <summary>The top-level key that was converted (e.g. "G_ema"), if the file is a dict of networks.</summary>
    public string? SelectedKey { get; private set; }
    /// <summary>Keys of the top-level dict, if the file holds one.</summary>
    public List<string> TopLevelKeys { get; } = new();
    /// <summary>Globals referenced by the pickle(s), in first-seen order.</summary>
    public List<string> Globals { get; } = new();
    /// <summary>Tensors in state_dict order.</summary>
    public List<SourceTensor> Tensors { get; } = new();
    /// <summary>The LoRA factors and settings of a My3DGen snapshot (then <see cref="Tensors"/> holds the base model under
    /// plain EG3D names, without the factors); null for any other input.</summary>
    public My3DGenLora? Lora { get; private set; }
    /// <summary>Metadata to write (JSON strings for configuration).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Opens and decodes <paramref name="path"/>; <paramref name="key"/> picks a top-level entry (default G_ema when present).</summary>
    public static WeightsSource Open(string path, string? key = null, IProgress<ConvertProgress>? progress = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var input = InputBytes.Open(path);
        try { return Decode(input, path, key, progress); }
        catch { input.Dispose(); throw; }
    }

    /// <summary>Decodes an in-memory copy of a file (tests and fuzzing).</summary>
    public static WeightsSource FromBytes(byte[] data, string path, string? key = null)
    {
        if (data.Length >= 6 && data[0] == 0x93 && data[1] == (byte)'N')
            return FromNpyArray(NpyFile.Parse(data, path), path);
        var input = InputBytes.FromArray(data, path);
        if (LooksLikeSafeTensors(input.Window))
        {
            input.Dispose();
            throw new WeightsFormatException(path, "safetensors input can only be opened from a file", 0);
        }
        try { return Decode(input, path, key, null); }
        catch { input.Dispose(); throw; }
    }

    static WeightsSource Decode(InputBytes input, string path, string? key, IProgress<ConvertProgress>? progress)
    {
        var w = input.Window;
        if (w.Length >= 6 && w.ReadByte(0, "magic") == 0x93 && w.ReadByte(1, "magic") == (byte)'N')
        {
            input.Dispose();
            return FromNpy(path);
        }
        if (LooksLikeSafeTensors(w))
        {
            input.Dispose();
            return FromSafeTensors(path);
        }
        long total = w.Length;
        var session = new PickleSession(path, total, progress == null ? null : pos => progress.Report(new ConvertProgress(ConvertStage.Reading, pos, total)));
        var loaded = TorchLoader.Load(w, session);
        progress?.Report(new ConvertProgress(ConvertStage.Reading, total, total));
        var src = new WeightsSource(path, loaded.Container switch
        {
            TorchContainer.Pickle => "pickle", TorchContainer.Legacy => "torch-legacy",
            TorchContainer.Zip => "torch-zip", _ => "torchscript",
        }, input);
        src.Globals.AddRange(session.GlobalsSeen);
        object? root = loaded.Root;
        if (root is PyDict top)
        {
            foreach (var (k, _) in top.Entries) if (k is string s) src.TopLevelKeys.Add(s);
            string? pick = key ?? (top.TryGet("G_ema", out _) ? "G_ema" : null);
            if (pick != null)
            {
                if (!top.TryGet(pick, out root))
                    throw new WeightsFormatException(path, $"top-level key '{pick}' not found; available: {string.Join(", ", src.TopLevelKeys)}");
                src.SelectedKey = pick;
            }
        }
        else if (key != null)
            throw new WeightsFormatException(path, $"--key '{key}' given but the file's top level is not a dict");

        var tensors = StateDictCollector.Collect(root, path);
        src.Lora = My3DGenLoraSplitter.Split(root, tensors, path);
        if (loaded.Constants is { Count: > 0 } c)
            tensors.AddRange(StateDictCollector.Collect(c, path, "constants"));
        foreach (var (name, t) in tensors)
            src.Tensors.Add(new SourceTensor(name, t.DType, t.Shape.Select(x => (int)x).ToArray(), s => TensorBytes.Write(t, s, path)));
        src.AddConfig(root, path);
        return src;
    }

    void AddConfig(object? root, string path)
    {
        PyDict? state = root switch { PersistentObject p => p.State, PyObject { State: PyDict d } => d, _ => null };
        string? cls = root switch { PersistentObject p => p.ClassName, PyObject o => o.Class.FullName, _ => null };
        Metadata["source"] = System.IO.Path.GetFileName(path) + (SelectedKey != null ? $"[{SelectedKey}]" : "");
        Metadata["format"] = root is PersistentObject ? Eg3dFormat : TorchFormat;
        Metadata["container"] = Container;
        if (cls != null) Metadata["class_name"] = cls;
        if (state == null) return;
        if (Lora != null)
            Metadata["my3dgen_lora"] = System.Text.Json.JsonSerializer.Serialize(new { rank = Lora.Rank, lora_alpha = Lora.Alpha, scaling = Lora.Scaling, factors = Lora.Factors.Count });
        foreach (var (attr, metaKey) in new[] { ("_init_kwargs", "init_kwargs"), ("rendering_kwargs", "rendering_kwargs"), ("neural_rendering_resolution", "neural_rendering_resolution") })
            if (state.TryGet(attr, out var v)) Metadata[metaKey] = PyJson.Serialize(v, path);
    }

    static bool LooksLikeSafeTensors(ByteWindow w)
    {
        if (w.Length < 10) return false;
        ulong n = w.ReadUInt64(0, "header");
        return n >= 2 && n <= (ulong)(w.Length - 8) && w.ReadByte(8, "header") == (byte)'{';
    }

    static WeightsSource FromNpy(string path) => FromNpyArray(NpyFile.Read(path), path);

    static WeightsSource FromNpyArray(NpyArray arr, string path)
    {
        var src = new WeightsSource(path, "npy", null);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(arr.Data.AsSpan()).ToArray();
        src.Tensors.Add(new SourceTensor("latent", StoredDType.F32, arr.Shape, s => { s.Write(bytes); return bytes.Length; }));
        src.Metadata["source"] = System.IO.Path.GetFileName(path);
        src.Metadata["format"] = NpyFormat;
        src.Metadata["container"] = "npy";
        src.Metadata["npy_dtype"] = arr.StoredType.SafeTensorsName();
        return src;
    }

    static WeightsSource FromSafeTensors(string path)
    {
        var file = SafeTensorsFile.Open(path);
        var src = new WeightsSource(path, "safetensors", file);
        foreach (var t in file.Tensors)
        {
            string name = t.Name;
            src.Tensors.Add(new SourceTensor(name, t.DType, t.Shape, s => { var raw = file.RawBytes(name); s.Write(raw); return raw.Length; }));
        }
        foreach (var (k, v) in file.Metadata) src.Metadata[k] = v;
        return src;
    }

    public void Dispose() => _owner?.Dispose();
}
