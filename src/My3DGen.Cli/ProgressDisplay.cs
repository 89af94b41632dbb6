// Progress of a long step: a live Spectre.Console bar on a terminal; otherwise a plain line at every 5 % (every step
// with --verbose) or at least every 10 seconds, so logs of piped or CI runs show steady progress; nothing with --quiet.
using System.Diagnostics;
using Spectre.Console;

namespace My3DGen.Cli;

/// <summary>Reports the progress of named tasks (value out of total, with a description).</summary>
internal sealed class ProgressDisplay
{
    readonly CliOutput _out;
    readonly ProgressContext? _live;
    readonly Dictionary<string, ProgressTask> _tasks = new();
    readonly Dictionary<string, (double Fraction, long Ms)> _printed = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();

    ProgressDisplay(CliOutput output, ProgressContext? live) { _out = output; _live = live; }

    /// <summary>Runs <paramref name="body"/> with a display suited to <paramref name="output"/>.</summary>
    public static T Run<T>(CliOutput output, Func<ProgressDisplay, T> body)
    {
        if (!output.Live) return body(new ProgressDisplay(output, null));
        T result = default!;
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = body(new ProgressDisplay(output, ctx)));
        return result;
    }

    /// <summary>Task <paramref name="task"/> reached <paramref name="done"/> of <paramref name="total"/>; <paramref name="text"/> describes it.</summary>
    public void Update(string task, double done, double total, string text)
    {
        total = Math.Max(1, total);
        if (_live != null)
        {
            if (!_tasks.TryGetValue(task, out var t)) _tasks[task] = t = _live.AddTask(Markup.Escape(task), maxValue: total);
            t.MaxValue = total; t.Value = done; t.Description = Markup.Escape(text);
            return;
        }
        double fraction = done / total;
        var (last, ms) = _printed.GetValueOrDefault(task, (-1, 0));
        if (_out.Verbose || fraction >= 1 || fraction - last >= 0.05 || _clock.ElapsedMilliseconds - ms >= 10_000)
        {
            if (fraction == last) return;
            _printed[task] = (fraction, _clock.ElapsedMilliseconds);
            _out.Line($"{task}: {100 * fraction:F0}% {text}");
        }
    }

    /// <summary>A message between progress updates (shown above a live bar).</summary>
    public void Message(string text)
    {
        if (_live != null) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        else _out.Line(text);
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    public sealed class Sync<T>(Action<T> report) : IProgress<T>
    {
        /// <inheritdoc/>
        public void Report(T value) => report(value);
    }
}
