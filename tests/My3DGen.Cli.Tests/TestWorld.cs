// The shared inputs of the CLI tests, made once per run: the tiny EG3D fixture converted to safetensors, a second
// model with one weight changed (another base hash), a valid 4-photo dataset, and a 2-step personalize run of it
// (adapter + step-2 checkpoint). Each case gets its own scratch folder under one temp root removed at the end.
using My3DGen.Engine.IO;
using My3DGen.Models.Tests.Eg3d;

namespace My3DGen.Cli.Tests;

internal static class TestWorld
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "my3dgen-cli-tests", $"{Environment.ProcessId}");

    public static string Model => FixtureData.TinyModel;

    static readonly Lazy<string> OtherModelFile = new(() =>
    {
        var path = Path.Combine(Dir("shared"), "other.safetensors");
        using var f = SafeTensorsFile.Open(Model);
        var w = new SafeTensorsWriter();
        foreach (var (k, v) in f.Metadata) w.AddMetadata(k, v);
        foreach (var t in f.Tensors)
        {
            var data = f.ReadFloat32(t.Name);
            if (data.Length > 0) data[0] += 0.001f;
            w.Add(t.Name, t.Shape, data);
        }
        w.Write(path);
        return path;
    });

    /// <summary>The tiny model with one weight changed: same shapes, different base hash.</summary>
    public static string OtherModel => OtherModelFile.Value;

    static readonly Lazy<string> DatasetDir = new(() => TestFiles.Dataset(Path.Combine(Dir("shared"), "person")));

    /// <summary>A valid 4-photo dataset for the tiny model.</summary>
    public static string Dataset => DatasetDir.Value;

    static readonly Lazy<(string Adapter, string Checkpoint, string Output)> Trained = new(() =>
    {
        var dir = Dir("trained");
        var adapter = Path.Combine(dir, "me.lora.safetensors");
        var run = CliRunner.Run(["personalize", "-m", Model, "--data", Dataset, "--lpips-random", "--steps", "2", "--checkpoint-every", "1",
            "--device", "cpu", "-o", adapter]);
        Assert.That(run.Code, Is.Zero, run.ToString());
        return (adapter, Path.Combine(dir, "me.lora.ckpt.safetensors"), run.Stdout);
    });

    /// <summary>An adapter trained 2 steps on <see cref="Dataset"/>.</summary>
    public static string Adapter => Trained.Value.Adapter;

    /// <summary>What that run printed on stdout.</summary>
    public static string TrainingOutput => Trained.Value.Output;

    /// <summary>The step-2 checkpoint of that run (copy it before resuming).</summary>
    public static string Checkpoint => Trained.Value.Checkpoint;

    /// <summary>A new empty folder under the run's temp root.</summary>
    public static string Dir(string name)
    {
        var d = Path.Combine(Root, name);
        Directory.CreateDirectory(d);
        return d;
    }

    static int _cases;

    /// <summary>A fresh scratch folder for one case.</summary>
    public static string CaseDir() => Dir($"case{Interlocked.Increment(ref _cases):D3}");
}

[SetUpFixture]
public sealed class TestWorldCleanup
{
    [OneTimeTearDown]
    public void RemoveTempRoot()
    {
        if (Directory.Exists(TestWorld.Root)) Directory.Delete(TestWorld.Root, true);
    }
}
