// Element types that appear in weight files (safetensors, .npy, torch) and their byte sizes.
// The engine computes in float32; other types are converted on load.
namespace My3DGen.Engine.IO;

/// <summary>Element types a weights file can store.</summary>
public enum StoredDType
{
    /// <summary>32-bit float.</summary>
    F32,
    /// <summary>IEEE half.</summary>
    F16,
    /// <summary>bfloat16.</summary>
    BF16,
    /// <summary>64-bit float.</summary>
    F64,
    /// <summary>64-bit signed integer.</summary>
    I64,
    /// <summary>32-bit signed integer.</summary>
    I32,
    /// <summary>16-bit signed integer.</summary>
    I16,
    /// <summary>8-bit signed integer.</summary>
    I8,
    /// <summary>8-bit unsigned integer.</summary>
    U8,
    /// <summary>Boolean (one byte).</summary>
    Bool,
}

/// <summary>Sizes and safetensors names of <see cref="StoredDType"/>.</summary>
public static class StoredDTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this StoredDType t) => t switch
    {
        StoredDType.F64 or StoredDType.I64 => 8,
        StoredDType.F32 or StoredDType.I32 => 4,
        StoredDType.F16 or StoredDType.BF16 or StoredDType.I16 => 2,
        _ => 1,
    };

    /// <summary>The dtype string in a safetensors header.</summary>
    public static string SafeTensorsName(this StoredDType t) => t switch
    {
        StoredDType.Bool => "BOOL",
        _ => t.ToString(),
    };

    /// <summary>Parses a safetensors dtype string.</summary>
    public static bool TryParseSafeTensors(string name, out StoredDType t)
    {
        switch (name)
        {
            case "F32": t = StoredDType.F32; return true;
            case "F16": t = StoredDType.F16; return true;
            case "BF16": t = StoredDType.BF16; return true;
            case "F64": t = StoredDType.F64; return true;
            case "I64": t = StoredDType.I64; return true;
            case "I32": t = StoredDType.I32; return true;
            case "I16": t = StoredDType.I16; return true;
            case "I8": t = StoredDType.I8; return true;
            case "U8": t = StoredDType.U8; return true;
            case "BOOL": t = StoredDType.Bool; return true;
            default: t = default; return false;
        }
    }

    /// <summary>Converts little-endian raw elements of type <paramref name="t"/> to float32.</summary>
    public static void ToFloat32(StoredDType t, ReadOnlySpan<byte> raw, Span<float> dst)
    {
        int n = dst.Length;
        switch (t)
        {
            case StoredDType.F32: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw)[..n].CopyTo(dst); break;
            case StoredDType.F64: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw); for (int i = 0; i < n; i++) dst[i] = (float)s[i]; break; }
            case StoredDType.F16: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw); for (int i = 0; i < n; i++) dst[i] = (float)s[i]; break; }
            case StoredDType.BF16: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(raw); for (int i = 0; i < n; i++) dst[i] = BitConverter.Int32BitsToSingle(s[i] << 16); break; }
            case StoredDType.I64: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw); for (int i = 0; i < n; i++) dst[i] = s[i]; break; }
            case StoredDType.I32: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw); for (int i = 0; i < n; i++) dst[i] = s[i]; break; }
            case StoredDType.I16: { var s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(raw); for (int i = 0; i < n; i++) dst[i] = s[i]; break; }
            case StoredDType.I8: for (int i = 0; i < n; i++) dst[i] = (sbyte)raw[i]; break;
            case StoredDType.U8: case StoredDType.Bool: for (int i = 0; i < n; i++) dst[i] = raw[i]; break;
        }
    }
}
