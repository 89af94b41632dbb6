// Decoders for the text arguments of protocol-0 opcodes: STRING (a quoted Python 2 str literal)
// and UNICODE (raw-unicode-escape). Malformed escapes are typed errors.
using System.Globalization;
using System.Text;

namespace My3DGen.WeightsConverter.Torch;

internal static class PickleText
{
    /// <summary>Decodes 'abc' / "abc" with backslash escapes into a latin-1 string.</summary>
    public static string QuotedString(string line, PickleReader r)
    {
        if (line.Length < 2 || (line[0] != '\'' && line[0] != '"') || line[^1] != line[0])
            throw r.Error("STRING argument is not a quoted literal");
        var s = line[1..^1];
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\') { sb.Append(c); continue; }
            if (++i >= s.Length) throw r.Error("STRING literal ends with a backslash");
            char e = s[i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': case '\'': case '"': sb.Append(e); break;
                case 'x':
                    sb.Append((char)Hex(s, i + 1, 2, r)); i += 2; break;
                case >= '0' and <= '7':
                    {
                        int v = 0, k = 0;
                        while (k < 3 && i + k < s.Length && s[i + k] is >= '0' and <= '7') { v = v * 8 + (s[i + k] - '0'); k++; }
                        sb.Append((char)(v & 0xFF)); i += k - 1; break;
                    }
                default: sb.Append('\\').Append(e); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Decodes raw-unicode-escape text: \uXXXX and \UXXXXXXXX escapes, everything else latin-1.</summary>
    public static string RawUnicodeEscape(string line, PickleReader r)
    {
        var sb = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && (line[i + 1] == 'u' || line[i + 1] == 'U'))
            {
                int n = line[i + 1] == 'u' ? 4 : 8;
                int cp = Hex(line, i + 2, n, r);
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) sb.Append('\uFFFD');
                else sb.Append(char.ConvertFromUtf32(cp));
                i += 1 + n;
            }
            else sb.Append(line[i]);
        }
        return sb.ToString();
    }

    static int Hex(string s, int start, int n, PickleReader r)
    {
        if (start < 0 || start + n > s.Length ||
            !long.TryParse(s.AsSpan(start, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long v) || v > int.MaxValue)
            throw r.Error("bad hexadecimal escape in a text argument");
        return (int)v;
    }
}
