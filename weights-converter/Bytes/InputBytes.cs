// Owns the bytes of one input: a read-only memory mapping of a file (large inputs are never copied),
// or a pinned array (tests, fuzzing). Windows handed out stay valid until Dispose.
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace My3DGen.WeightsConverter.Bytes;

/// <summary>The raw bytes of an input file, memory-mapped or pinned.</summary>
internal sealed unsafe class InputBytes : IDisposable
{
    readonly MemoryMappedFile? _map;
    readonly MemoryMappedViewAccessor? _view;
    readonly byte* _viewPtr;
    GCHandle _pin;

    /// <summary>The whole input as one window.</summary>
    public ByteWindow Window { get; }

    InputBytes(MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* viewPtr, GCHandle pin, ByteWindow w)
    {
        _map = map; _view = view; _viewPtr = viewPtr; _pin = pin; Window = w;
    }

    /// <summary>Maps <paramref name="path"/> read-only. A missing file is a <see cref="FileNotFoundException"/>.</summary>
    public static InputBytes Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        long len = new FileInfo(path).Length;
        if (len == 0) return FromArray(Array.Empty<byte>(), path);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = map.CreateViewAccessor(0, len, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            return new InputBytes(map, view, p, default, new ByteWindow(p + view.PointerOffset, len, 0, path));
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an in-memory copy of a file (pinned until Dispose).</summary>
    public static InputBytes FromArray(byte[] data, string path)
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        var p = (byte*)pin.AddrOfPinnedObject();
        return new InputBytes(null, null, null, pin, new ByteWindow(p, data.Length, 0, path));
    }

    public void Dispose()
    {
        if (_view != null)
        {
            if (_viewPtr != null) _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
        if (_pin.IsAllocated) _pin.Free();
    }
}
