// An independent (test-only) reader for the legacy torch storage blobs in an EG3D pickle: it finds each
// BINBYTES blob that starts with the torch magic and takes its trailing int64 count + float32 data,
// without using any converter code, so converted values can be checked against the raw file.
using System.Buffers.Binary;

namespace My3DGen.WeightsConverter.Tests;

internal static class IndependentBlobScanner
{
    static readonly byte[] Magic = { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 };

    /// <summary>(file offset of the blob, raw data bytes) for every blob at or after <paramref name="from"/>.</summary>
    public static List<(long Offset, byte[] Data)> Scan(byte[] file, long from = 0)
    {
        var result = new List<(long, byte[])>();
        for (long p = from; p + 5 + Magic.Length < file.Length; p++)
        {
            // BINBYTES ('B', u32 length) or SHORT_BINBYTES ('C', u8 length), followed by the torch magic.
            int hdr = file[p] == (byte)'B' ? 5 : file[p] == (byte)'C' ? 2 : 0;
            if (hdr == 0 || !file.AsSpan((int)p + hdr, Magic.Length).SequenceEqual(Magic)) continue;
            int len = hdr == 5 ? BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan((int)p + 1)) : file[p + 1];
            var blob = file.AsSpan((int)p + hdr, len);
            for (int q = 0; q + 8 <= len; q++)
            {
                long count = BinaryPrimitives.ReadInt64LittleEndian(blob[q..]);
                if (count >= 0 && q + 8 + count * 4 == len)
                {
                    result.Add((p, blob.Slice(q + 8, (int)count * 4).ToArray()));
                    break;
                }
            }
            p += hdr - 1 + len;
        }
        return result;
    }
}
