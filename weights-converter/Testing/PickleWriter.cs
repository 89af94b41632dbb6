// A small pickle emitter used to build test inputs (hostile pickles, synthetic EG3D snapshots) and the
// converter benchmark. It writes opcodes only; it is not a general serializer.
using System.Buffers.Binary;
using System.Text;

namespace My3DGen.WeightsConverter.Testing;

/// <summary>Writes pickle opcodes to a stream.</summary>
internal sealed class PickleWriter(Stream output)
{
    readonly Stream _s = output;
    int _memo;

    public Stream Stream => _s;
    public PickleWriter Op(byte code) { _s.WriteByte(code); return this; }
    public PickleWriter Proto(int p) => Op(0x80).Op((byte)p);
    public PickleWriter Stop() => Op((byte)'.');
    public PickleWriter Mark() => Op((byte)'(');
    public PickleWriter None() => Op((byte)'N');
    public PickleWriter Bool(bool b) => Op(b ? (byte)0x88 : (byte)0x89);
    public PickleWriter EmptyTuple() => Op((byte)')');
    public PickleWriter Tuple() => Op((byte)'t');
    public PickleWriter EmptyDict() => Op((byte)'}');
    public PickleWriter EmptyList() => Op((byte)']');
    public PickleWriter EmptySet() => Op(0x8f);
    public PickleWriter SetItem() => Op((byte)'s');
    public PickleWriter SetItems() => Op((byte)'u');
    public PickleWriter Append() => Op((byte)'a');
    public PickleWriter Appends() => Op((byte)'e');
    public PickleWriter Reduce() => Op((byte)'R');
    public PickleWriter Build() => Op((byte)'b');
    public PickleWriter NewObj() => Op(0x81);
    public PickleWriter BinPersId() => Op((byte)'Q');

    /// <summary>MEMOIZE; returns the memo index assigned.</summary>
    public int Memoize() { Op(0x94); return _memo++; }

    public PickleWriter Get(int index)
    {
        Op((byte)'j');
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, index);
        _s.Write(b);
        return this;
    }

    public PickleWriter Int(long v)
    {
        if (v >= 0 && v < 256) return Op((byte)'K').Op((byte)v);
        if (v >= int.MinValue && v <= int.MaxValue)
        {
            Op((byte)'J');
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            _s.Write(b);
            return this;
        }
        Op(0x8a).Op(8);
        Span<byte> l = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(l, v);
        _s.Write(l);
        return this;
    }

    public PickleWriter Float(double v)
    {
        Op((byte)'G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, v);
        _s.Write(b);
        return this;
    }

    public PickleWriter Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length < 256) Op(0x8c).Op((byte)bytes.Length);
        else { Op((byte)'X'); WriteU32(bytes.Length); }
        _s.Write(bytes);
        return this;
    }

    /// <summary>GLOBAL opcode (text form, as protocol 2 writes it).</summary>
    public PickleWriter Global(string module, string name)
    {
        Op((byte)'c');
        _s.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        return this;
    }

    /// <summary>STACK_GLOBAL form (protocol 4).</summary>
    public PickleWriter StackGlobal(string module, string name) => Str(module).Str(name).Op(0x93);

    /// <summary>BINBYTES header for a bytes object of <paramref name="length"/> bytes; the caller writes the payload.</summary>
    public PickleWriter BytesHeader(long length)
    {
        if (length <= uint.MaxValue) { Op((byte)'B'); WriteU32((uint)length); }
        else
        {
            Op(0x8e);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, length);
            _s.Write(b);
        }
        return this;
    }

    public PickleWriter Bytes(ReadOnlySpan<byte> data) { BytesHeader(data.Length); _s.Write(data); return this; }

    /// <summary>Raw bytes outside any opcode (e.g. legacy torch storage records).</summary>
    public PickleWriter Raw(ReadOnlySpan<byte> data) { _s.Write(data); return this; }

    void WriteU32(long v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v);
        _s.Write(b);
    }
}
