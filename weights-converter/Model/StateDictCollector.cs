// Walks a decoded object tree and lists its tensors under PyTorch state_dict names: nn.Module states
// contribute _parameters, persistent _buffers and _modules (registration order, as EG3D's state_dict);
// dicts, lists and other objects' attributes contribute their keys. Cycles and reference bombs are bounded.
using My3DGen.WeightsConverter.Pickle;
using My3DGen.WeightsConverter.Torch;

namespace My3DGen.WeightsConverter.Model;

internal sealed class StateDictCollector
{
    const int MaxDepth = 200;
    const long MaxVisits = 1_000_000;

    readonly string _file;
    readonly List<KeyValuePair<string, TorchTensor>> _tensors = new();
    readonly HashSet<string> _names = new(StringComparer.Ordinal);
    readonly HashSet<object> _inProgress = new(ReferenceEqualityComparer.Instance);
    long _visits;

    StateDictCollector(string file) => _file = file;

    /// <summary>All tensors reachable from <paramref name="root"/>, named by path, in state_dict order.</summary>
    public static List<KeyValuePair<string, TorchTensor>> Collect(object? root, string file, string prefix = "")
    {
        var c = new StateDictCollector(file);
        c.Visit(root, prefix, 0);
        return c._tensors;
    }

    void Visit(object? o, string prefix, int depth)
    {
        if (o is null or string or long or double or bool) return;
        if (++_visits > MaxVisits)
            throw new WeightsFormatException(_file, $"object graph has more than {MaxVisits} references (shared-reference bomb?)");
        if (depth > MaxDepth) throw new WeightsFormatException(_file, $"object tree is nested deeper than {MaxDepth} levels");
        if (o is TorchTensor t) { Add(prefix, t); return; }
        if (!_inProgress.Add(o)) return; // a cycle: the object contains itself
        try
        {
            switch (o)
            {
                case PersistentObject p: VisitState(p.State, prefix, depth); break;
                case PyObject po:
                    if (po.State is PyDict sd) VisitState(sd, prefix, depth);
                    else if (po.State is PyTuple { Count: 2 } st && st.Items[0] is PyDict sd2) VisitState(sd2, prefix, depth);
                    break;
                case PyDict d: VisitState(d, prefix, depth); break;
                case PyList l: for (int i = 0; i < l.Items.Count; i++) Visit(l.Items[i], Join(prefix, i.ToString()), depth + 1); break;
                case PyTuple tu: for (int i = 0; i < tu.Items.Length; i++) Visit(tu.Items[i], Join(prefix, i.ToString()), depth + 1); break;
            }
        }
        finally { _inProgress.Remove(o); }
    }

    void VisitState(PyDict state, string prefix, int depth)
    {
        if (IsModuleState(state)) { VisitModule(state, prefix, depth); return; }
        foreach (var (k, v) in state.Entries)
            if (KeyName(k) is { } name) Visit(v, Join(prefix, name), depth + 1);
    }

    static bool IsModuleState(PyDict d) =>
        d.TryGet("_parameters", out var p) && p is PyDict && d.TryGet("_modules", out var m) && m is PyDict;

    void VisitModule(PyDict state, string prefix, int depth)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal);
        if (state.Get("_non_persistent_buffers_set") is PySet np)
            foreach (var n in np.Items) if (n is string s) skip.Add(s);
        foreach (var (k, v) in ((PyDict)state.Get("_parameters")!).Entries)
            if (KeyName(k) is { } name) Visit(v, Join(prefix, name), depth + 1);
        if (state.Get("_buffers") is PyDict buffers)
            foreach (var (k, v) in buffers.Entries)
                if (KeyName(k) is { } name && !skip.Contains(name)) Visit(v, Join(prefix, name), depth + 1);
        foreach (var (k, v) in ((PyDict)state.Get("_modules")!).Entries)
            if (KeyName(k) is { } name) Visit(v, Join(prefix, name), depth + 1);
    }

    void Add(string name, TorchTensor t)
    {
        if (name.Length == 0) name = "tensor";
        if (!_names.Add(name)) throw new WeightsFormatException(_file, $"two tensors map to the same name '{name}'", t.Storage.DeclaredAt);
        _tensors.Add(new(name, t));
    }

    static string? KeyName(object? k) => k switch
    {
        string s => s,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
