// Decodes the weightsManifest of a TF.js graph model: weights stored back to back in the group's files as float32,
// int32, or quantised (uint8/uint16 affine: q·scale + min; float16: IEEE half), exactly as tf.io.decodeWeights does.
using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace My3DGen.Faces.Graph;

/// <summary>One weight entry of a TF.js <c>weightsManifest</c>.</summary>
/// <param name="Name">Graph name of the constant.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="DType">Logical type: float32 or int32.</param>
/// <param name="Quantization">Stored type when quantised (uint8, uint16, float16), else null.</param>
/// <param name="Scale">Affine scale for uint8/uint16.</param>
/// <param name="Min">Affine offset for uint8/uint16.</param>
public sealed record TfjsWeightSpec(string Name, int[] Shape, string DType, string? Quantization, double Scale, double Min)
{
    /// <summary>Bytes this weight occupies in the weight files.</summary>
    public int StoredBytes => GraphTensor.Count(Shape) * (Quantization switch { "uint8" => 1, "uint16" or "float16" => 2, null => 4, _ => 4 });

    /// <summary>Reads one manifest entry.</summary>
    public static TfjsWeightSpec Parse(JsonNode w, string file)
    {
        string name = (string?)w["name"] ?? throw new FaceModelException(file, "a weightsManifest entry has no name");
        int[] shape = w["shape"]?.AsArray().Select(d => (int)d!).ToArray() ?? [];
        string dtype = (string?)w["dtype"] ?? "float32";
        if (dtype is not ("float32" or "int32")) throw new FaceModelException(file, $"weight '{name}' has dtype '{dtype}', only float32 and int32 are supported");
        var q = w["quantization"];
        string? qType = q == null ? null : (string?)q["dtype"];
        if (qType is not (null or "uint8" or "uint16" or "float16"))
            throw new FaceModelException(file, $"weight '{name}' is quantised as '{qType}', only uint8, uint16 and float16 are supported");
        if (q?["group"] != null) throw new FaceModelException(file, $"weight '{name}' uses grouped quantisation, which is not supported");
        return new TfjsWeightSpec(name, shape, dtype, qType, q?["scale"] is { } s ? (double)s : 1, q?["min"] is { } m ? (double)m : 0);
    }
}

/// <summary>Turns the bytes of a weight group into named float tensors.</summary>
public static class TfjsWeightDecoder
{
    /// <summary>Decodes <paramref name="specs"/> laid back to back in <paramref name="bytes"/>; int32 values become exact floats.</summary>
    public static Dictionary<string, GraphTensor> Decode(ReadOnlySpan<byte> bytes, IReadOnlyList<TfjsWeightSpec> specs, string file)
    {
        var result = new Dictionary<string, GraphTensor>(StringComparer.Ordinal);
        int offset = 0;
        foreach (var s in specs)
        {
            int n = GraphTensor.Count(s.Shape), size = s.StoredBytes;
            if (offset + size > bytes.Length)
                throw new FaceModelException(file, $"weight '{s.Name}' needs bytes {offset}..{offset + size} but the weight files hold {bytes.Length}");
            var src = bytes.Slice(offset, size);
            var data = new float[n];
            switch (s.Quantization)
            {
                case "uint8": for (int i = 0; i < n; i++) data[i] = (float)(src[i] * s.Scale + s.Min); break;
                case "uint16": for (int i = 0; i < n; i++) data[i] = (float)(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) * s.Scale + s.Min); break;
                case "float16": for (int i = 0; i < n; i++) data[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..])); break;
                default:
                    if (s.DType == "int32") for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]);
                    else for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                    break;
            }
            if (s.Quantization is "uint8" or "uint16" && s.DType == "int32") for (int i = 0; i < n; i++) data[i] = MathF.Round(data[i]);
            result[s.Name] = new GraphTensor(s.Shape, data);
            offset += size;
        }
        return result;
    }
}
