// The data builders behind allowlisted globals: what REDUCE, NEWOBJ and BUILD produce for each kind.
// Each builder validates its arguments and returns plain data (tensors, dicts, inert objects).
using System.Buffers.Binary;
using System.Text;
using My3DGen.WeightsConverter.Pickle;

namespace My3DGen.WeightsConverter.Torch;

internal static class CallBuilders
{
    /// <summary>REDUCE: "calls" <paramref name="g"/> with <paramref name="args"/>, building data only.</summary>
    public static object? Call(PyGlobal g, object?[] args, PickleReader r, PickleSession s)
    {
        var kind = GlobalRegistry.Resolve(g.Module, g.Name)!.Value;
        switch (kind)
        {
            case GlobalKind.RebuildTensorV2:
            case GlobalKind.RebuildTensor:
                return RebuildTensor(args, r, s);
            case GlobalKind.RebuildParameter:
            case GlobalKind.RebuildParameterWithState:
                {
                    Arity(args, 1, 4, g, r);
                    var t = r.Expect<TorchTensor>(args[0], "_rebuild_parameter data");
                    t.IsParameter = true;
                    return t;
                }
            case GlobalKind.LoadFromBytes:
                {
                    Arity(args, 1, 1, g, r);
                    var bytes = r.Expect<PyBytes>(args[0], "_load_from_bytes argument");
                    if (!s.BlobStorages.TryGetValue(bytes, out var storage))
                    {
                        storage = TorchLoader.LoadStorageBlob(bytes.Window, s);
                        s.BlobStorages[bytes] = storage;
                    }
                    return storage;
                }
            case GlobalKind.OrderedDict:
            case GlobalKind.DictClass:
                {
                    var d = new PyDict(g.FullName);
                    if (args.Length > 1) throw r.Error($"{g.FullName} takes at most one argument");
                    if (args.Length == 1) FillPairs(d, args[0], r);
                    return d;
                }
            case GlobalKind.SetClass:
                {
                    var set = new PySet();
                    if (args.Length == 1 && args[0] is PyList l) { r.Charge(l.Items.Count); set.Items.AddRange(l.Items); }
                    else if (args.Length == 1 && args[0] is PyTuple t) set.Items.AddRange(t.Items);
                    else if (args.Length != 0) throw r.Error($"{g.FullName} expects one list or tuple");
                    return set;
                }
            case GlobalKind.PersistentReconstruct:
                {
                    Arity(args, 1, 1, g, r);
                    return Persistent(r.Expect<PyDict>(args[0], "persistent object meta"), r);
                }
            case GlobalKind.NumpyDType:
                {
                    Arity(args, 1, 3, g, r);
                    return new NumpyDType(r.Expect<string>(args[0], "numpy.dtype code"));
                }
            case GlobalKind.NumpyScalar:
                {
                    Arity(args, 2, 2, g, r);
                    return NumpyScalarOf(r.Expect<NumpyDType>(args[0], "numpy scalar dtype"), args[1], r);
                }
            case GlobalKind.CodecsEncode:
                Arity(args, 1, 2, g, r);
                return r.Expect<string>(args[0], "_codecs.encode text"); // kept as latin-1 text
            case GlobalKind.TorchDevice:
                Arity(args, 1, 2, g, r);
                return r.Expect<string>(args[0], "torch.device name");
            case GlobalKind.TorchSize:
                Arity(args, 1, 1, g, r);
                return r.Expect<PyTuple>(args[0], "torch.Size argument");
            case GlobalKind.ModuleClass:
                return new PyObject(g, args);
            case GlobalKind.JitIdentity:
                Arity(args, 1, 2, g, r);
                return args[0];
            default:
                throw r.Error($"{g.FullName} cannot be called");
        }
    }

    /// <summary>NEWOBJ / INST / OBJ: creates an instance of an allowlisted class.</summary>
    public static object? New(PyGlobal cls, object?[] args, PickleReader r)
    {
        var kind = GlobalRegistry.Resolve(cls.Module, cls.Name);
        return kind switch
        {
            GlobalKind.ModuleClass => new PyObject(cls, args),
            GlobalKind.OrderedDict or GlobalKind.DictClass => new PyDict(cls.FullName),
            GlobalKind.SetClass => new PySet(),
            _ => throw r.Error($"{cls.FullName} cannot be instantiated"),
        };
    }

    /// <summary>BUILD: applies <paramref name="state"/> to <paramref name="target"/>.</summary>
    public static void Build(object? target, object? state, PickleReader r)
    {
        switch (target)
        {
            case PyObject o: o.State = state; break;
            case PyDict d: d.State = state; break;
            case NumpyDType dt:
                {
                    var t = r.Expect<PyTuple>(state, "numpy.dtype state");
                    if (t.Count < 2 || t.Items[1] is not string order || order.Length != 1) throw r.Error("numpy.dtype state lacks a byte order");
                    dt.ByteOrder = order[0];
                    break;
                }
            case TorchTensor: break; // extra Python attributes on a tensor carry no data
            default: throw r.Error($"BUILD on {PickleReader.Describe(target)} is not supported");
        }
    }

    static void Arity(object?[] args, int min, int max, PyGlobal g, PickleReader r)
    {
        if (args.Length < min || args.Length > max)
            throw r.Error($"{g.FullName} called with {args.Length} arguments (expected {min}..{max})");
    }

    static void FillPairs(PyDict d, object? source, PickleReader r)
    {
        IReadOnlyList<object?> items = source switch
        {
            PyList l => l.Items,
            PyTuple t => t.Items,
            PyDict src => src.Entries.Select(e => (object?)new PyTuple(new[] { e.Key, e.Value })).ToList(),
            _ => throw r.Error($"dict items: expected a list of pairs, got {PickleReader.Describe(source)}"),
        };
        r.Charge(4L * items.Count); // a dict insert costs several opcodes' worth
        foreach (var item in items)
        {
            var pair = item switch
            {
                PyTuple t when t.Count == 2 => t.Items,
                PyList l when l.Items.Count == 2 => l.Items.ToArray(),
                _ => throw r.Error("dict item is not a (key, value) pair"),
            };
            d.Set(pair[0], pair[1]);
        }
    }

    static TorchTensor RebuildTensor(object?[] args, PickleReader r, PickleSession s)
    {
        if (args.Length < 4 || args.Length > 7) throw r.Error($"_rebuild_tensor called with {args.Length} arguments");
        var storage = r.Expect<TorchStorage>(args[0], "tensor storage");
        if (!PyInt.TryGet(args[1], out long offset)) throw r.Error("tensor storage offset is not an integer");
        var shape = IntTuple(args[2], "tensor size", r);
        var stride = IntTuple(args[3], "tensor stride", r);
        return TorchTensor.Create(storage, offset, shape, stride, s.FilePath, r.OpOffset);
    }

    static long[] IntTuple(object? o, string what, PickleReader r)
    {
        var t = r.Expect<PyTuple>(o, what);
        var v = new long[t.Count];
        for (int i = 0; i < v.Length; i++)
            if (!PyInt.TryGet(t.Items[i], out v[i])) throw r.Error($"{what} entry {i} is not an integer");
        return v;
    }

    static PersistentObject Persistent(PyDict meta, PickleReader r)
    {
        if (meta.Get("type") is not string type || type != "class")
            throw r.Error("persistent object meta has no type 'class'");
        if (!PyInt.TryGet(meta.Get("version"), out long version) || version < 1 || version > 6)
            throw r.Error($"unsupported persistent object version {meta.Get("version")}");
        var className = r.Expect<string>(meta.Get("class_name"), "persistent object class_name");
        var state = r.Expect<PyDict>(meta.Get("state"), "persistent object state");
        string hint = "";
        if (meta.Get("module_src") is string src && src.Length < 200)
        {
            int a = src.IndexOf('('), b = src.IndexOf(')');
            if (a >= 0 && b > a) hint = src[(a + 1)..b];
        }
        return new PersistentObject(className, hint, state);
    }

    static NumpyScalar NumpyScalarOf(NumpyDType dt, object? raw, PickleReader r)
    {
        byte[] bytes = raw switch
        {
            PyBytes b when b.Length <= 16 => b.Window.Span(0, (int)b.Length, "numpy scalar").ToArray(),
            string str when str.Length <= 16 => Encoding.Latin1.GetBytes(str),
            _ => throw r.Error("numpy scalar data is not a short bytes object"),
        };
        string code = dt.Code.TrimStart('<', '>', '=', '|');
        bool big = dt.ByteOrder == '>' || dt.Code.StartsWith('>');
        if (big) Array.Reverse(bytes);
        double Need(int n, Func<double> f) => bytes.Length == n ? f() : throw r.Error($"numpy scalar '{dt.Code}' needs {n} bytes, has {bytes.Length}");
        double value = code switch
        {
            "f8" or "float64" => Need(8, () => BinaryPrimitives.ReadDoubleLittleEndian(bytes)),
            "f4" or "float32" => Need(4, () => BinaryPrimitives.ReadSingleLittleEndian(bytes)),
            "f2" or "float16" => Need(2, () => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes)),
            "i8" or "int64" => Need(8, () => BinaryPrimitives.ReadInt64LittleEndian(bytes)),
            "i4" or "int32" => Need(4, () => BinaryPrimitives.ReadInt32LittleEndian(bytes)),
            "u8" or "uint64" => Need(8, () => BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
            "u4" or "uint32" => Need(4, () => BinaryPrimitives.ReadUInt32LittleEndian(bytes)),
            "b1" or "bool" or "u1" or "uint8" => Need(1, () => bytes[0]),
            "i1" or "int8" => Need(1, () => (sbyte)bytes[0]),
            _ => throw r.Error($"unsupported numpy scalar dtype '{dt.Code}'"),
        };
        return new NumpyScalar(code, value);
    }
}
