// Outputs on a full disk and in a read-only folder, in a child my3dgen: a private tmpfs mount (unshare -m, or a user
// namespace) when this machine allows one. Without one, a full disk is simulated honestly with a file-size limit
// (ulimit -f with SIGXFSZ ignored: write() fails with EFBIG) and a read-only folder with chmod (non-root only).
// Either way: exit 1, one line naming the requested path (never a temp file), and no temp or partial file left.
namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class DiskTests
{
    static readonly Lazy<string?> Unshare = new(() =>
    {
        foreach (var cmd in new[] { "unshare -m", "unshare -rm" })
            if (CliRunner.Shell($"{cmd} sh -c 'mount -t tmpfs -o size=64k tmpfs /tmp 2>/dev/null'").Code == 0) return cmd;
        return null;
    });

    /// <summary>Runs "$MY3DGEN <paramref name="args"/>" with <paramref name="dir"/> on a tmpfs of <paramref name="sizeKb"/> KiB (or a
    /// size limit), then lists the folder's files (one per line after "--files--") and exits with my3dgen's code.</summary>
    static (CliRun Run, string[] Files) RunOnSmallDisk(string dir, int sizeKb, bool readOnly, string args)
    {
        string list = $"rc=$?; echo --files-- >&2; find {dir} -type f >&2; exit $rc";
        string script = Unshare.Value is string u
            ? $"{u} sh -c 'mount -t tmpfs -o size={sizeKb}k{(readOnly ? ",ro" : "")} tmpfs {dir} && $MY3DGEN {args}; {list}'"
            : readOnly ? $"chmod 555 {dir}; $MY3DGEN {args}; {list}"
            : $"trap '' XFSZ; ulimit -f {sizeKb}; $MY3DGEN {args}; {list}";
        if (Unshare.Value == null && readOnly && Environment.UserName == "root") Assert.Ignore("no mount namespace and root ignores chmod: cannot make a read-only folder");
        var run = CliRunner.Shell(script);
        var parts = run.Stderr.Split("--files--");
        var files = parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (run with { Stderr = parts[0] }, files);
    }

    static void AssertOneLineNaming(CliRun run, string path)
    {
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("error: ").And.Contain(path).And.Not.Match(@"\.\d+\.[0-9a-f]{32}\.tmp").And.Not.Contain("   at "), run.ToString());
    }

    [Test]
    public void RenderOnAFullDiskLeavesNoPartialFile()
    {
        var dir = TestWorld.CaseDir();
        var (run, files) = RunOnSmallDisk(dir, 16, false, $"render -m {TestWorld.Model} --device cpu --seeds 0-3 -o {dir}/out");
        AssertOneLineNaming(run, $"{dir}/out/");
        Assert.That(files.Where(f => f.EndsWith(".tmp")), Is.Empty, "temp files left");
        Assert.That(files.Where(f => f.EndsWith("contact_sheet.png")), Is.Empty, "the run did not finish, so no contact sheet");
        TestContext.Out.WriteLine($"{(Unshare.Value ?? "ulimit -f")}: {run.Stderr.Trim()}; {files.Length} complete files");
    }

    [Test]
    public void ConvertOnAFullDiskNamesTheOutput()
    {
        var dir = TestWorld.CaseDir();
        var pkl = Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "eg3d", "eg3d-tiny.pkl");
        var (run, files) = RunOnSmallDisk(dir, 1024, false, $"convert {pkl} -o {dir}/tiny.safetensors");
        AssertOneLineNaming(run, $"{dir}/tiny.safetensors");
        Assert.That(files, Is.Empty, "partial output or temp file left");
    }

    [Test]
    public void PersonalizeIntoAReadOnlyFolderFailsBeforeAnyWork()
    {
        var dir = TestWorld.CaseDir();
        var (run, files) = RunOnSmallDisk(dir, 64, true,
            $"personalize -m {TestWorld.Model} --data {TestWorld.Dataset} --lpips-random --device cpu -o {dir}/a.lora.safetensors");
        AssertOneLineNaming(run, $"{dir}/a.lora.safetensors");
        Assert.That(run.Stdout, Does.Not.Contain("device:"), "it loaded the model before checking the output folder");
        Assert.That(files, Is.Empty);
    }

    [Test]
    public void RenderIntoAReadOnlyFolderFailsBeforeAnyWork()
    {
        var dir = TestWorld.CaseDir();
        var (run, files) = RunOnSmallDisk(dir, 64, true, $"render -m {TestWorld.Model} --device cpu -o {dir}/out");
        AssertOneLineNaming(run, $"{dir}/out");
        Assert.That(run.Stdout, Does.Not.Contain("rendering"));
        Assert.That(files, Is.Empty);
    }
}
