// A bounds-checked view of bytes (usually a region of a memory-mapped input file) that knows its
// absolute position in the file, so every parse error can name the exact byte offset.
using System.Buffers.Binary;

namespace My3DGen.WeightsConverter.Bytes;

/// <summary>An immutable, bounds-checked window onto unmanaged bytes owned by an <see cref="InputBytes"/>.</summary>
internal readonly unsafe struct ByteWindow
{
    readonly byte* _ptr;
    /// <summary>Number of bytes in the window.</summary>
    public long Length { get; }
    /// <summary>Absolute offset of byte 0 of this window in <see cref="FilePath"/>.</summary>
    public long FileOffset { get; }
    /// <summary>The file the bytes come from (for error messages).</summary>
    public string FilePath { get; }

    public ByteWindow(byte* ptr, long length, long fileOffset, string filePath)
    {
        _ptr = ptr; Length = length; FileOffset = fileOffset; FilePath = filePath;
    }

    /// <summary>A typed error at local position <paramref name="localPos"/>.</summary>
    public WeightsFormatException Error(long localPos, string problem) =>
        new(FilePath, problem, FileOffset + localPos);

    /// <summary>Sub-window [start, start+length); throws a typed error naming <paramref name="what"/> if it does not fit.</summary>
    public ByteWindow Slice(long start, long length, string what)
    {
        if (start < 0 || length < 0 || start > Length || length > Length - start)
            throw Error(Math.Clamp(start, 0, Length), $"{what} needs {length} bytes at offset {FileOffset + start} but the data ends at {FileOffset + Length}");
        return new ByteWindow(_ptr + start, length, FileOffset + start, FilePath);
    }

    /// <summary>Span of <paramref name="count"/> bytes at <paramref name="pos"/>; typed error if past the end.</summary>
    public ReadOnlySpan<byte> Span(long pos, int count, string what)
    {
        if (pos < 0 || count < 0 || pos > Length || count > Length - pos)
            throw Error(Math.Clamp(pos, 0, Length), $"truncated: {what} needs {count} bytes");
        return new ReadOnlySpan<byte>(_ptr + pos, count);
    }

    public byte ReadByte(long pos, string what) => Span(pos, 1, what)[0];
    public long ReadInt64(long pos, string what) => BinaryPrimitives.ReadInt64LittleEndian(Span(pos, 8, what));
    public uint ReadUInt32(long pos, string what) => BinaryPrimitives.ReadUInt32LittleEndian(Span(pos, 4, what));
    public ushort ReadUInt16(long pos, string what) => BinaryPrimitives.ReadUInt16LittleEndian(Span(pos, 2, what));
    public ulong ReadUInt64(long pos, string what) => BinaryPrimitives.ReadUInt64LittleEndian(Span(pos, 8, what));

    /// <summary>Copies the whole window to <paramref name="stream"/> in chunks (no intermediate buffer).</summary>
    public void CopyTo(Stream stream)
    {
        const int chunk = 1 << 24;
        for (long done = 0; done < Length;)
        {
            int n = (int)Math.Min(chunk, Length - done);
            stream.Write(new ReadOnlySpan<byte>(_ptr + done, n));
            done += n;
        }
    }

    /// <summary>Copies <c>dst.Length</c> bytes starting at <paramref name="pos"/> into <paramref name="dst"/> (caller checked bounds).</summary>
    public void CopyUnchecked(long pos, Span<byte> dst) => new ReadOnlySpan<byte>(_ptr + pos, dst.Length).CopyTo(dst);
}
