// Output paths as the trainer uses them (Models.Api.OutputPaths): stale temp files of killed runs are removed (live ones kept), an unwritable folder is detected up
// front, and a failed write names the requested file, never the temp file.
using My3DGen.Engine;
using My3DGen.Engine.IO;
using My3DGen.Models.Api;

namespace My3DGen.Personalization.Tests;

public class OutputPathsTests
{
    [Test]
    public void StaleTempsOfDeadProcessesAreRemoved()
    {
        var dir = Directory.CreateTempSubdirectory("my3dgen-out-").FullName;
        var target = Path.Combine(dir, "a.lora.safetensors");
        var stale = Path.Combine(dir, $".a.lora.safetensors.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(dir, $".a.lora.safetensors.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var other = Path.Combine(dir, $".b.safetensors.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { stale, live, other }) File.WriteAllText(f, "x");
        Assert.That(OutputPaths.RemoveStaleTemps(target), Is.EqualTo(1));
        Assert.That(File.Exists(stale), Is.False);
        Assert.That(File.Exists(live), Is.True, "a running process's temp file is kept");
        Assert.That(File.Exists(other), Is.True, "temps of other outputs are kept");
        Directory.Delete(dir, true);
    }

    [Test]
    public void UnwritableFolderIsDetectedAndWriteFailuresNameTheRequestedPath()
    {
        var dir = Directory.CreateTempSubdirectory("my3dgen-out-").FullName;
        var blocker = Path.Combine(dir, "not-a-folder");
        File.WriteAllText(blocker, "x");
        var target = Path.Combine(blocker, "a.lora.safetensors");   // its "folder" is a file
        var ex = Assert.Throws<OutputFileException>(() => OutputPaths.PrepareFile(target))!;
        Assert.That(ex, Is.InstanceOf<UserInputException>());
        Assert.That(ex.Message, Does.StartWith(target + ": cannot write"));
        ex = Assert.Throws<OutputFileException>(() => OutputFileException.Guard(target, () => AtomicFile.WriteAllBytes(target, [1, 2, 3])))!;
        Assert.That(ex.Message, Does.StartWith(target + ": cannot write").And.Not.Contain(".tmp"));
        Assert.DoesNotThrow(() => OutputPaths.PrepareFile(Path.Combine(dir, "sub", "b.safetensors")));
        Assert.That(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Count(), Is.EqualTo(1), "the probe leaves nothing behind");
        Directory.Delete(dir, true);
    }
}
