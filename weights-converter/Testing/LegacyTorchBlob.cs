// Builds legacy (pre-zip) torch.save streams holding one float32 storage, exactly as EG3D pickles embed
// them via torch.storage._load_from_bytes. Used by tests and the converter benchmark.
using System.Buffers.Binary;

namespace My3DGen.WeightsConverter.Testing;

/// <summary>Writer for one-storage legacy torch.save blobs.</summary>
internal static class LegacyTorchBlob
{
    /// <summary>The header (5 pickles) of a blob for a float32 storage of <paramref name="numel"/> elements;
    /// it is followed by the int64 element count and the raw data.</summary>
    public static byte[] Header(long numel, string key, string storageClass = "FloatStorage")
    {
        using var ms = new MemoryStream();
        var p = new PickleWriter(ms);
        p.Proto(2).Op(0x8a).Op(10).Raw(new byte[] { 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 }).Stop();
        p.Proto(2).Int(1001).Stop();
        p.Proto(2).EmptyDict().Mark().Str("protocol_version").Int(1001).Str("little_endian").Bool(true)
            .Str("type_sizes").EmptyDict().Mark().Str("short").Int(2).Str("int").Int(4).Str("long").Int(8).SetItems().SetItems().Stop();
        p.Proto(2).Mark().Str("storage").Global("torch", storageClass).Str(key).Str("cpu").Int(numel).None().Tuple().BinPersId().Stop();
        p.Proto(2).EmptyList().Mark().Str(key).Appends().Stop();
        return ms.ToArray();
    }

    /// <summary>The int64 element count that precedes the storage data.</summary>
    public static byte[] Count(long numel)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, numel);
        return b;
    }
}
