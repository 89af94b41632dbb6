// A pickle virtual machine for protocols 0-5 that only builds data: globals are checked against the
// allowlist and calls are dispatched to data builders (CallBuilders). Every read is bounds-checked and
// every operation is charged to the session's work budget, so hostile input fails fast with a typed error.
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using My3DGen.WeightsConverter.Bytes;
using My3DGen.WeightsConverter.Pickle;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>Decodes one pickle (up to its STOP opcode) from a window of the input.</summary>
internal sealed class PickleReader
{
    readonly ByteWindow _w;
    readonly PickleSession _session;
    readonly Func<object?, long, object?>? _persistentLoad;
    readonly List<object?> _stack = new();
    readonly List<int> _marks = new();
    readonly Dictionary<long, object?> _memo = new();
    long _pos, _op;
    long _lastReport;

    public PickleReader(ByteWindow window, PickleSession session, Func<object?, long, object?>? persistentLoad = null)
    {
        _w = window; _session = session; _persistentLoad = persistentLoad;
    }

    /// <summary>Local position just after the STOP opcode once <see cref="Load"/> returned.</summary>
    public long Position => _pos;

    /// <summary>Absolute file offset of the opcode being executed.</summary>
    public long OpOffset => _w.FileOffset + _op;

    /// <summary>Charges extra work (element copies) to the session budget at the current opcode.</summary>
    public void Charge(long units) => _session.Charge(units, _w, _op);

    /// <summary>A typed error at the current opcode.</summary>
    public WeightsFormatException Error(string problem) => _w.Error(_op, problem);

    /// <summary>Runs the pickle starting at <paramref name="start"/> and returns its top-level object.</summary>
    public object? Load(long start = 0)
    {
        _pos = start;
        while (true)
        {
            _op = _pos;
            if (_session.Progress != null && _session.Nesting == 0 && _pos - _lastReport > (1 << 22))
            {
                _lastReport = _pos;
                _session.Progress(_w.FileOffset + _pos);
            }
            _session.Charge(1, _w, _op);
            byte code = _w.ReadByte(_pos++, "pickle opcode (missing STOP?)");
            if (code == Op.STOP)
            {
                if (_stack.Count != 1 || _marks.Count != 0)
                    throw Error($"STOP with {_stack.Count} objects on the stack and {_marks.Count} open marks");
                return _stack[0];
            }
            Step(code);
        }
    }

    void Step(byte code)
    {
        switch (code)
        {
            case Op.PROTO:
                { int p = Byte(); if (p > 5) throw Error($"unsupported pickle protocol {p}"); break; }
            case Op.FRAME: Skip(8); break;
            case Op.MARK: _marks.Add(_stack.Count); break;
            case Op.POP:
                if (_stack.Count > MarkBase) _stack.RemoveAt(_stack.Count - 1);
                else PopMark();
                break;
            case Op.POP_MARK: PopMark(); break;
            case Op.DUP: Push(Peek()); break;
            case Op.NONE: Push(null); break;
            case Op.NEWTRUE: Push(true); break;
            case Op.NEWFALSE: Push(false); break;
            case Op.BININT: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, "BININT"))); break;
            case Op.BININT1: Push((long)Byte()); break;
            case Op.BININT2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, "BININT2"))); break;
            case Op.LONG1: Push(DecodeLong(Byte())); break;
            case Op.LONG4: Push(DecodeLong(Length32("LONG4"))); break;
            case Op.INT: Push(ParseIntLine()); break;
            case Op.LONG: Push(ParseLongLine()); break;
            case Op.BINFLOAT: Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8, "BINFLOAT"))); break;
            case Op.FLOAT: Push(ParseFloatLine()); break;
            case Op.SHORT_BINUNICODE: Push(Utf8(Byte())); break;
            case Op.BINUNICODE: Push(Utf8(Length32("BINUNICODE"))); break;
            case Op.BINUNICODE8: Push(Utf8(Length64("BINUNICODE8"))); break;
            case Op.UNICODE: Push(PickleText.RawUnicodeEscape(Line(), this)); break;
            case Op.SHORT_BINSTRING: Push(Latin1(Byte())); break;
            case Op.BINSTRING: Push(Latin1(Length32("BINSTRING"))); break;
            case Op.STRING: Push(PickleText.QuotedString(Line(), this)); break;
            case Op.SHORT_BINBYTES: Push(BytesObj(Byte())); break;
            case Op.BINBYTES: Push(BytesObj(Length32("BINBYTES"))); break;
            case Op.BINBYTES8: case Op.BYTEARRAY8: Push(BytesObj(Length64("BINBYTES8"))); break;
            case Op.EMPTY_TUPLE: Push(new PyTuple(Array.Empty<object?>())); break;
            case Op.TUPLE1: { var a = Pop(); Push(new PyTuple(new[] { a })); break; }
            case Op.TUPLE2: { var b = Pop(); var a = Pop(); Push(new PyTuple(new[] { a, b })); break; }
            case Op.TUPLE3: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PyTuple(new[] { a, b, c })); break; }
            case Op.TUPLE: Push(new PyTuple(PopMark())); break;
            case Op.EMPTY_LIST: Push(new PyList()); break;
            case Op.LIST: { var l = new PyList(); l.Items.AddRange(PopMark()); Push(l); break; }
            case Op.APPEND: { var v = Pop(); Expect<PyList>(Peek(), "APPEND target").Items.Add(v); break; }
            case Op.APPENDS: { var items = PopMark(); Expect<PyList>(Peek(), "APPENDS target").Items.AddRange(items); break; }
            case Op.EMPTY_DICT: Push(new PyDict()); break;
            case Op.DICT: { var d = new PyDict(); SetItems(d, PopMark()); Push(d); break; }
            case Op.SETITEM: { var v = Pop(); var k = Pop(); Expect<PyDict>(Peek(), "SETITEM target").Set(k, v); break; }
            case Op.SETITEMS: { var items = PopMark(); SetItems(Expect<PyDict>(Peek(), "SETITEMS target"), items); break; }
            case Op.EMPTY_SET: Push(new PySet()); break;
            case Op.ADDITEMS: { var items = PopMark(); Expect<PySet>(Peek(), "ADDITEMS target").Items.AddRange(items); break; }
            case Op.FROZENSET: { var s = new PySet(); s.Items.AddRange(PopMark()); Push(s); break; }
            case Op.GLOBAL: { var module = Line(); var name = Line(); Push(ResolveGlobal(module, name)); break; }
            case Op.STACK_GLOBAL:
                {
                    var name = Expect<string>(Pop(), "STACK_GLOBAL name");
                    var module = Expect<string>(Pop(), "STACK_GLOBAL module");
                    Push(ResolveGlobal(module, name));
                    break;
                }
            case Op.REDUCE:
                {
                    var args = Expect<PyTuple>(Pop(), "REDUCE arguments");
                    var callable = Expect<PyGlobal>(Pop(), "REDUCE callable");
                    _session.Charge(args.Count, _w, _op);
                    Push(CallBuilders.Call(callable, args.Items, this, _session));
                    break;
                }
            case Op.NEWOBJ:
                {
                    var args = Expect<PyTuple>(Pop(), "NEWOBJ arguments");
                    var cls = Expect<PyGlobal>(Pop(), "NEWOBJ class");
                    Push(CallBuilders.New(cls, args.Items, this));
                    break;
                }
            case Op.NEWOBJ_EX:
                {
                    Pop(); // kwargs are irrelevant for data-only instances
                    var args = Expect<PyTuple>(Pop(), "NEWOBJ_EX arguments");
                    var cls = Expect<PyGlobal>(Pop(), "NEWOBJ_EX class");
                    Push(CallBuilders.New(cls, args.Items, this));
                    break;
                }
            case Op.INST:
                {
                    var module = Line(); var name = Line();
                    var cls = ResolveGlobal(module, name);
                    Push(CallBuilders.New(cls, PopMark(), this));
                    break;
                }
            case Op.OBJ:
                {
                    var items = PopMark();
                    if (items.Length == 0) throw Error("OBJ without a class");
                    Push(CallBuilders.New(Expect<PyGlobal>(items[0], "OBJ class"), items[1..], this));
                    break;
                }
            case Op.BUILD: { var state = Pop(); CallBuilders.Build(Peek(), state, this); break; }
            case Op.PUT: Memo(ParseIndex(Line())); break;
            case Op.BINPUT: Memo(Byte()); break;
            case Op.LONG_BINPUT: Memo(Length32("LONG_BINPUT")); break;
            case Op.MEMOIZE: Memo(_memo.Count); break;
            case Op.GET: Push(Recall(ParseIndex(Line()))); break;
            case Op.BINGET: Push(Recall(Byte())); break;
            case Op.LONG_BINGET: Push(Recall(Length32("LONG_BINGET"))); break;
            case Op.BINPERSID: Push(Persistent(Pop())); break;
            case Op.PERSID: Push(Persistent(Line())); break;
            case Op.READONLY_BUFFER: Peek(); break;
            case Op.NEXT_BUFFER: throw Error("out-of-band pickle buffers (NEXT_BUFFER) are not supported");
            case Op.EXT1: case Op.EXT2: case Op.EXT4: throw Error("pickle extension registry codes (EXT1/2/4) are not supported");
            default: throw Error($"unknown pickle opcode 0x{code:x2}");
        }
    }

    // ---- stack helpers -------------------------------------------------------------------------

    int MarkBase => _marks.Count > 0 ? _marks[^1] : 0;

    void Push(object? o) => _stack.Add(o);

    object? Pop()
    {
        if (_stack.Count <= MarkBase) throw Error("pickle stack underflow");
        var o = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    object? Peek()
    {
        if (_stack.Count <= MarkBase) throw Error("pickle stack underflow");
        return _stack[^1];
    }

    object?[] PopMark()
    {
        if (_marks.Count == 0) throw Error("pickle MARK expected but none is open");
        int m = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(m, _stack.Count - m).ToArray();
        _stack.RemoveRange(m, _stack.Count - m);
        _session.Charge(items.Length, _w, _op);
        return items;
    }

    void SetItems(PyDict d, object?[] items)
    {
        if (items.Length % 2 != 0) throw Error("SETITEMS/DICT with an odd number of items");
        for (int i = 0; i < items.Length; i += 2) d.Set(items[i], items[i + 1]);
    }

    void Memo(long index)
    {
        if (index < 0) throw Error($"negative memo index {index}");
        _memo[index] = Peek();
    }

    object? Recall(long index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Error($"memo index {index} was never stored");

    object? Persistent(object? pid)
    {
        if (_persistentLoad == null) throw Error("persistent id in a pickle that has no persistent storage");
        return _persistentLoad(pid, OpOffset);
    }

    /// <summary>Typed cast with an error naming what was expected.</summary>
    public T Expect<T>(object? o, string what) =>
        o is T t ? t : throw Error($"{what}: expected {typeof(T).Name}, got {Describe(o)}");

    public static string Describe(object? o) => o switch
    {
        null => "None",
        PyGlobal g => $"global {g.FullName}",
        PyObject po => $"instance of {po.Class.FullName}",
        _ => o.GetType().Name,
    };

    PyGlobal ResolveGlobal(string module, string name)
    {
        _session.NoteGlobal($"{module}.{name}");
        if (GlobalRegistry.Resolve(module, name) == null)
            throw new UnknownGlobalException(_w.FilePath, module, name, OpOffset);
        return new PyGlobal(module, name);
    }

    // ---- raw readers ---------------------------------------------------------------------------

    int Byte() => _w.ReadByte(_pos++, "pickle argument");

    ReadOnlySpan<byte> Bytes(int n, string what)
    {
        var s = _w.Span(_pos, n, what);
        _pos += n;
        return s;
    }

    void Skip(int n) => Bytes(n, "FRAME length");

    long Length32(string what)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));
        return v;
    }

    long Length64(string what)
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, what));
        if (v > (ulong)_w.Length) throw Error($"{what} length {v} exceeds the input size");
        return (long)v;
    }

    ReadOnlySpan<byte> Counted(long n, string what)
    {
        if (n > _w.Length - _pos || n > int.MaxValue) throw Error($"truncated: {what} of {n} bytes runs past the end of the data");
        return Bytes((int)n, what);
    }

    string Utf8(long n) => Encoding.UTF8.GetString(Counted(n, "string"));
    string Latin1(long n) => Encoding.Latin1.GetString(Counted(n, "byte string"));

    PyBytes BytesObj(long n)
    {
        var win = _w.Slice(_pos, n, "bytes object");
        _pos += n;
        return new PyBytes(win);
    }

    object DecodeLong(long n)
    {
        if (n > 4096) throw Error($"integer of {n} bytes is too large");
        var span = Counted(n, "LONG");
        if (n == 0) return 0L;
        var bi = new BigInteger(span, isUnsigned: false, isBigEndian: false);
        return bi >= long.MinValue && bi <= long.MaxValue ? (long)bi : bi;
    }

    string Line()
    {
        long start = _pos;
        long max = Math.Min(_w.Length - start, int.MaxValue);
        for (long i = 0; i < max; i++)
        {
            if (_w.ReadByte(start + i, "line") == (byte)'\n')
            {
                var s = Encoding.Latin1.GetString(_w.Span(start, (int)i, "line"));
                _pos = start + i + 1;
                return s;
            }
        }
        throw Error("truncated: text argument has no terminating newline");
    }

    object ParseIntLine()
    {
        var s = Line();
        if (s == "00") return false;
        if (s == "01") return true;
        return ParseInteger(s);
    }

    object ParseLongLine() => ParseInteger(Line().TrimEnd('L'));

    object ParseInteger(string s)
    {
        if (s.Length > 4096) throw Error("integer literal is too long");
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bi)) return bi;
        throw Error($"invalid integer literal '{Truncate(s)}'");
    }

    double ParseFloatLine()
    {
        var s = Line();
        if (s.Length <= 64 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return s switch
        {
            "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity,
            _ => throw Error($"invalid float literal '{Truncate(s)}'"),
        };
    }

    long ParseIndex(string s) =>
        s.Length <= 19 && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v : throw Error($"invalid memo index '{Truncate(s)}'");

    static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
