// Spectre.Console progress bar for training runs: step, loss parts, it/s and ETA from IProgress<TrainingProgress>.
using My3DGen.Personalization.Training;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class TrainingProgressView
{
    /// <summary>Runs <paramref name="body"/> with a live progress bar fed by the IProgress it receives.</summary>
    public static T Run<T>(string title, int totalSteps, Func<IProgress<TrainingProgress>, IProgress<string>, T> body)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalSteps));
                var stage = new Progress<string>(s => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(s)}[/]"));
                var progress = new SyncProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape($"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} (mse {p.Mse128:F4}/{p.Mse512:F4}, lpips {p.Lpips128:F4}/{p.Lpips512:F4}) {p.StepsPerSecond:F2} it/s");
                });
                result = body(progress, new SyncProgress<string>(s => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(s)}[/]")));
            });
        return result;
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
