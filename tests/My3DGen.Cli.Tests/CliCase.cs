// One row of the CLI error table: how to prepare the case's files, the command line, the documented exit code and the
// text the single stderr line must contain (the user's file or option). Verify asserts the common contract of errors.
namespace My3DGen.Cli.Tests;

/// <summary>The scratch folder of a case: <see cref="Out"/> is where the case's outputs must not appear.</summary>
internal sealed record CaseDir(string Dir)
{
    /// <summary>Values a row's argument builder records for its expectation (e.g. which file it broke).</summary>
    public Dictionary<string, string> Notes { get; } = new();

    public string Out => Path.Combine(Dir, "out");
    public string File(string name) => Path.Combine(Dir, name);
}

/// <summary>A table row. <paramref name="Expect"/> is a substring of the stderr line (usually the path of the bad file).</summary>
internal sealed record CliCase(string Name, Func<CaseDir, string[]> Args, int Exit, Func<CaseDir, string> Expect)
{
    public override string ToString() => Name;

    /// <summary>Runs the case in-process and checks exit code, one stderr line naming the problem, no stack trace, no output.</summary>
    public void Verify()
    {
        var dir = new CaseDir(TestWorld.CaseDir());
        var args = Args(dir);
        var run = CliRunner.Run(args);
        string expect = Expect(dir);
        Assert.Multiple(() =>
        {
            Assert.That(run.Code, Is.EqualTo(Exit), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith("error: ").And.Contain(expect), run.ToString());
            if (Exit == 2) Assert.That(run.Stderr, Does.Contain("--help`)"), "usage errors point to --help");
            Assert.That(run.Stderr, Does.Not.Contain("   at ").And.Not.Contain("Unhandled"), "stack trace");
            Assert.That(run.Stderr, Does.Not.Contain("(Parameter '"), ".NET parameter suffix");
            Assert.That(run.Stderr, Does.Not.Match(@"\.\d+\.[0-9a-f]{32}\.tmp"), "names a temp file");
            Assert.That(run.Stdout, Does.Not.Contain("Usage:"), "usage errors print one line, not the help");
            Assert.That(Leftovers(dir.Dir), Is.Empty, "partial output or temp files");
        });
    }

    /// <summary>Files the run left in the case folder apart from the inputs the case wrote before the run.</summary>
    static IEnumerable<string> Leftovers(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.StartsWith(Path.Combine(dir, "out"), StringComparison.Ordinal)
                        || f.EndsWith(".lora.safetensors", StringComparison.Ordinal) || f.EndsWith(".preview.png", StringComparison.Ordinal));
}
