// State shared by every pickle read from one input (the outer pickle and the torch blobs nested in it):
// the work budget that bounds time, the nesting depth, the globals seen, and caches.
using My3DGen.WeightsConverter.Bytes;
using My3DGen.WeightsConverter.Pickle;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>Shared limits and bookkeeping for all pickles decoded from one input file.</summary>
internal sealed class PickleSession
{
    /// <summary>Nested torch blobs deeper than this are rejected (a real EG3D file uses depth 1).</summary>
    public const int MaxNesting = 4;

    long _work;
    readonly long _workLimit;

    public PickleSession(string filePath, long inputLength, Action<long>? progress = null)
    {
        FilePath = filePath;
        _workLimit = 4 * Math.Max(inputLength, 1) + 1_000_000;
        Progress = progress;
    }

    public string FilePath { get; }
    /// <summary>Receives the absolute byte offset reached by the outermost pickle.</summary>
    public Action<long>? Progress { get; }
    /// <summary>"module.name" of every global referenced, in first-seen order.</summary>
    public List<string> GlobalsSeen { get; } = new();
    readonly HashSet<string> _globalsSet = new();
    /// <summary>Storages already decoded from a given bytes object (shared storages stay shared).</summary>
    public Dictionary<PyBytes, TorchStorage> BlobStorages { get; } = new(ReferenceEqualityComparer.Instance);
    public int Nesting { get; set; }

    public void NoteGlobal(string fullName)
    {
        if (_globalsSet.Add(fullName)) GlobalsSeen.Add(fullName);
    }

    /// <summary>Charges <paramref name="units"/> of work; a file that needs far more work than its size is abusive.</summary>
    public void Charge(long units, ByteWindow w, long pos)
    {
        _work += units;
        if (_work > _workLimit)
            throw w.Error(pos, $"pickle needs more than {_workLimit} operations for a {w.Length}-byte input (memo or recursion abuse)");
    }
}
