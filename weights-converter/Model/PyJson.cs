// Converts configuration values of the object tree (dicts, lists, numbers, numpy scalars, strings)
// to JSON text for safetensors metadata. Size and depth are bounded; non-data values become strings.
using System.Numerics;
using System.Text;
using System.Text.Json;
using My3DGen.WeightsConverter.Pickle;
using My3DGen.WeightsConverter.Torch;

namespace My3DGen.WeightsConverter.Model;

internal static class PyJson
{
    const int MaxDepth = 64;
    const int MaxNodes = 100_000;

    /// <summary>JSON text for <paramref name="value"/>; throws a typed error for oversized configuration.</summary>
    public static string Serialize(object? value, string file)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { SkipValidation = false }))
        {
            int nodes = 0;
            Write(w, value, 0, ref nodes, file, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    static void Write(Utf8JsonWriter w, object? v, int depth, ref int nodes, string file, HashSet<object> open)
    {
        if (++nodes > MaxNodes || depth > MaxDepth)
            throw new WeightsFormatException(file, "configuration value is too large or too deeply nested");
        switch (v)
        {
            case null: w.WriteNullValue(); return;
            case bool b: w.WriteBooleanValue(b); return;
            case long l: w.WriteNumberValue(l); return;
            case BigInteger bi: w.WriteRawValue(bi.ToString(System.Globalization.CultureInfo.InvariantCulture)); return;
            case double d: WriteDouble(w, d); return;
            case NumpyScalar ns: WriteDouble(w, ns.Value); return;
            case string s: w.WriteStringValue(s); return;
            case TorchTensor t: w.WriteStringValue($"<tensor {t.DType} [{string.Join(",", t.Shape)}]>"); return;
        }
        if (!open.Add(v)) { w.WriteStringValue("<recursive>"); return; }
        switch (v)
        {
            case PyDict dict:
                w.WriteStartObject();
                foreach (var (k, val) in dict.Entries)
                {
                    w.WritePropertyName(k switch { string s => s, null => "None", _ => Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture) ?? "" });
                    Write(w, val, depth + 1, ref nodes, file, open);
                }
                w.WriteEndObject();
                break;
            case PyList list: WriteArray(w, list.Items, depth, ref nodes, file, open); break;
            case PyTuple tuple: WriteArray(w, tuple.Items, depth, ref nodes, file, open); break;
            case PySet set: WriteArray(w, set.Items, depth, ref nodes, file, open); break;
            case PyObject o: w.WriteStringValue($"<{o.Class.FullName}>"); break;
            case PersistentObject p: w.WriteStringValue($"<{p.ClassName}>"); break;
            default: w.WriteStringValue($"<{v.GetType().Name}>"); break;
        }
        open.Remove(v);
    }

    static void WriteArray(Utf8JsonWriter w, IEnumerable<object?> items, int depth, ref int nodes, string file, HashSet<object> open)
    {
        w.WriteStartArray();
        foreach (var x in items) Write(w, x, depth + 1, ref nodes, file, open);
        w.WriteEndArray();
    }

    static void WriteDouble(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d)) w.WriteNumberValue(d);
        else w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    }
}
