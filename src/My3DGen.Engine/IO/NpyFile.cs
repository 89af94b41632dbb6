// Reader and writer for NumPy .npy files (format versions 1-3), as used for My3DGen latent anchors.
// Only little-endian numeric dtypes in C order are accepted; everything else is a typed error.
using System.Text;

namespace My3DGen.Engine.IO;

/// <summary>A loaded .npy array converted to float32.</summary>
public sealed record NpyArray(int[] Shape, float[] Data, StoredDType StoredType);

/// <summary>Reads NumPy .npy files (little-endian float32/float64/int arrays).</summary>
public static class NpyFile
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses .npy bytes; <paramref name="path"/> names the source in errors.</summary>
    public static NpyArray Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new FileFormatException(path, "not a .npy file (bad magic)", 0);
        int major = bytes[6];
        int headerLen, headerStart;
        if (major == 1) { headerLen = BitConverter.ToUInt16(bytes, 8); headerStart = 10; }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12) throw new FileFormatException(path, "truncated .npy header", 8);
            headerLen = checked((int)BitConverter.ToUInt32(bytes, 8)); headerStart = 12;
        }
        else throw new FileFormatException(path, $"unsupported .npy version {major}", 6);
        if (headerStart + (long)headerLen > bytes.Length) throw new FileFormatException(path, "truncated .npy header", headerStart);
        string header = Encoding.UTF8.GetString(bytes, headerStart, headerLen);
        string descr = ExtractString(header, "descr", path);
        bool fortran = header.Contains("'fortran_order': True");
        if (fortran) throw new FileFormatException(path, "Fortran-ordered arrays are not supported", headerStart);
        var shape = ExtractShape(header, path);
        StoredDType dt = descr switch
        {
            "<f4" => StoredDType.F32, "<f8" => StoredDType.F64, "<f2" => StoredDType.F16,
            "<i8" => StoredDType.I64, "<i4" => StoredDType.I32, "<i2" => StoredDType.I16,
            "|i1" => StoredDType.I8, "|u1" => StoredDType.U8, "|b1" => StoredDType.Bool,
            _ => throw new FileFormatException(path, $"unsupported .npy dtype '{descr}' (need little-endian numeric)", headerStart),
        };
        long n = shape.Aggregate(1L, (a, b) => a * b);
        long dataStart = headerStart + headerLen;
        if (dataStart + n * dt.Size() > bytes.Length)
            throw new FileFormatException(path, $"array of shape [{string.Join(",", shape)}] needs {n * dt.Size()} bytes, file has {bytes.Length - dataStart}", dataStart);
        var data = new float[n];
        StoredDTypeInfo.ToFloat32(dt, bytes.AsSpan((int)dataStart, (int)(n * dt.Size())), data);
        return new NpyArray(shape, data, dt);
    }

    /// <summary>Writes a float32 array as .npy version 1.0, atomically.</summary>
    public static void Write(string path, int[] shape, ReadOnlySpan<float> data)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        using var ms = new MemoryStream();
        ms.Write(Magic); ms.WriteByte(1); ms.WriteByte(0);
        ms.Write(BitConverter.GetBytes((ushort)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        ms.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
        AtomicFile.WriteAllBytes(path, ms.ToArray());
    }

    static string ExtractString(string header, string key, string path)
    {
        int i = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (i < 0) throw new FileFormatException(path, $".npy header lacks '{key}'", 10);
        int q1 = header.IndexOf('\'', i + key.Length + 2);
        int q2 = q1 < 0 ? -1 : header.IndexOf('\'', q1 + 1);
        if (q1 < 0 || q2 < 0) throw new FileFormatException(path, $".npy header has a malformed '{key}'", 10);
        return header[(q1 + 1)..q2];
    }

    static int[] ExtractShape(string header, string path)
    {
        int i = header.IndexOf("'shape'", StringComparison.Ordinal);
        int p1 = i < 0 ? -1 : header.IndexOf('(', i);
        int p2 = p1 < 0 ? -1 : header.IndexOf(')', p1);
        if (p2 < 0) throw new FileFormatException(path, ".npy header has no shape tuple", 10);
        var parts = header[(p1 + 1)..p2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
            if (!int.TryParse(parts[k].TrimEnd('L'), out shape[k]) || shape[k] < 0)
                throw new FileFormatException(path, $".npy shape entry '{parts[k]}' is not a valid dimension", 10);
        return shape;
    }
}
