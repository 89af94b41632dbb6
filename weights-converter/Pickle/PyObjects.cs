// The neutral object tree a pickle is decoded into. Nothing here runs code from the file: classes are
// just names, instances are (class, args, state) records, and bytes are windows into the input.
using System.Numerics;
using My3DGen.WeightsConverter.Bytes;

namespace My3DGen.WeightsConverter.Pickle;

/// <summary>A global reference (module + name) that passed the allowlist.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    /// <summary>"module.name".</summary>
    public string FullName => $"{Module}.{Name}";
    public override string ToString() => FullName;
}

/// <summary>A Python tuple.</summary>
internal sealed class PyTuple(object?[] items)
{
    public object?[] Items { get; } = items;
    public int Count => Items.Length;
}

/// <summary>A Python list.</summary>
internal sealed class PyList
{
    public List<object?> Items { get; } = new();
}

/// <summary>A Python set or frozenset (kept as a list of members).</summary>
internal sealed class PySet
{
    public List<object?> Items { get; } = new();
}

/// <summary>A Python bytes object: a window into the input, never copied.</summary>
internal sealed class PyBytes
{
    internal ByteWindow Window { get; }
    internal PyBytes(ByteWindow window) => Window = window;
    public long Length => Window.Length;
}

/// <summary>An ordered dict (dict, OrderedDict, EasyDict); <see cref="ClassName"/> says which.</summary>
internal sealed class PyDict
{
    readonly List<KeyValuePair<object?, object?>> _entries = new();
    readonly Dictionary<object, int> _index = new();

    public PyDict(string className = "dict") => ClassName = className;
    /// <summary>"dict", "collections.OrderedDict", "dnnlib.util.EasyDict", …</summary>
    public string ClassName { get; }
    /// <summary>State set by BUILD (e.g. OrderedDict._metadata); null if none.</summary>
    public object? State { get; set; }
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;
    public int Count => _entries.Count;

    /// <summary>dict[key] = value with Python's replace-in-place semantics for hashable keys.</summary>
    public void Set(object? key, object? value)
    {
        var k = IndexKey(key);
        if (k != null && _index.TryGetValue(k, out int i)) { _entries[i] = new(key, value); return; }
        if (k != null) _index[k] = _entries.Count;
        _entries.Add(new(key, value));
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int i)) { value = _entries[i].Value; return true; }
        value = null;
        return false;
    }

    public object? Get(string key) => TryGet(key, out var v) ? v : null;

    static object? IndexKey(object? key) => key switch
    {
        string s => s,
        long l => l,
        bool b => b ? 1L : 0L,
        _ => null,
    };
}

/// <summary>An instance of an allowlisted class created by NEWOBJ / REDUCE / INST / OBJ, with its BUILD state.</summary>
internal sealed class PyObject(PyGlobal cls, object?[] args)
{
    public PyGlobal Class { get; } = cls;
    public object?[] Args { get; } = args;
    /// <summary>The state given by BUILD (usually the instance __dict__ as a <see cref="PyDict"/>).</summary>
    public object? State { get; set; }
}

/// <summary>An EG3D persistent object (torch_utils.persistence), identified by class name; its source is never run.</summary>
internal sealed class PersistentObject(string className, string moduleHint, PyDict state)
{
    public string ClassName { get; } = className;
    /// <summary>The module named in the module_src placeholder, or "" when the source is real text.</summary>
    public string ModuleHint { get; } = moduleHint;
    public PyDict State { get; } = state;
}

/// <summary>A numpy dtype description (e.g. 'f8' little-endian).</summary>
internal sealed class NumpyDType(string code)
{
    public string Code { get; } = code;
    /// <summary>'&lt;', '&gt;', '|' or '=' from the BUILD state.</summary>
    public char ByteOrder { get; set; } = '=';
}

/// <summary>A numpy scalar decoded to a double (float or integer dtypes) or a bool.</summary>
internal sealed class NumpyScalar(string code, double value)
{
    public string Code { get; } = code;
    public double Value { get; } = value;
}

/// <summary>Helpers for values that appear as Python ints (long or BigInteger).</summary>
internal static class PyInt
{
    /// <summary>True if <paramref name="o"/> is a Python int that fits in a long.</summary>
    public static bool TryGet(object? o, out long v)
    {
        switch (o)
        {
            case long l: v = l; return true;
            case bool b: v = b ? 1 : 0; return true;
            case BigInteger bi when bi >= long.MinValue && bi <= long.MaxValue: v = (long)bi; return true;
            default: v = 0; return false;
        }
    }
}
