// Where each kind of output goes: human lines on stdout (stderr with --json, so stdout holds only the JSON result),
// details only with --verbose, nothing but errors with --quiet, and never hard-wrapped (plain lines, no console width).
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace My3DGen.Cli;

/// <summary>The output channels of one invocation.</summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool terminal, bool quiet, bool verbose, bool json)
{
    /// <summary>Both stdout and stderr are terminals: live progress bars instead of progress lines.</summary>
    public bool IsTerminal { get; } = terminal;
    /// <summary>--quiet: only errors (and the --json result).</summary>
    public bool Quiet { get; } = quiet;
    /// <summary>--verbose: every progress step and every file written.</summary>
    public bool Verbose { get; } = verbose;
    /// <summary>--json: one JSON result object on stdout.</summary>
    public bool Json { get; } = json;
    /// <summary>Live progress bars are shown (terminal, neither quiet nor json).</summary>
    public bool Live => IsTerminal && !Quiet && !Json;

    TextWriter Human => Json ? stderr : stdout;

    /// <summary>A normal line (suppressed by --quiet).</summary>
    public void Line(string text) { if (!Quiet) Human.WriteLine(text); }

    /// <summary>A detail line (only with --verbose).</summary>
    public void Detail(string text) { if (Verbose && !Quiet) Human.WriteLine(text); }

    /// <summary>An error line on stderr (always).</summary>
    public void Error(string text) => stderr.WriteLine(text);

    /// <summary>The machine-readable result on stdout (only with --json).</summary>
    public void Result(JsonObject result) { if (Json) stdout.WriteLine(result.ToJsonString(JsonOptions)); }

    static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A table with columns padded to their widest cell (plain text, never wrapped).</summary>
    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        foreach (var r in all) Line(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))));
    }
}
