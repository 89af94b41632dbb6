// The `my3dgen render` command end to end on the tiny model: seed 0, ψ 0.7, the fixture's conditioning and render
// cameras from .npy files, deterministic sampling; its tensor dump must reproduce the psi0.7/cam1 fixture, and its
// --json result must list the files it wrote (all complete, no temp file left).
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Models.Tests.Eg3d;

namespace My3DGen.Cli.Tests;

public class RenderCommandTests
{
    [Test]
    public void RenderCommandReproducesTheFixtureCase()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        var dir = TestWorld.CaseDir();
        NpyFile.Write(Path.Combine(dir, "cond.npy"), [25], r.Read("input.c_cond"));
        NpyFile.Write(Path.Combine(dir, "cam.npy"), [1, 25], r.Read("input.c"));
        var dump = Path.Combine(dir, "out.safetensors");
        var run = CliRunner.Run("render", "--model", FixtureData.TinyModel, "--seeds", "0", "--psi", "0.7", "--device", "cpu",
            "--cond-camera", Path.Combine(dir, "cond.npy"), "--camera", Path.Combine(dir, "cam.npy"), "--deterministic",
            "--out", dir, "--save-tensors", dump, "--json", "--verbose");
        Assert.That(run.Code, Is.EqualTo(0), run.ToString());
        using var got = SafeTensorsFile.Open(dump);
        r.Check("cli ws", "ws", got.ReadFloat32("ws"), got.Info("ws").Shape, 1e-4);
        r.Check("cli image", "image", got.ReadFloat32("image"), got.Info("image").Shape, 1e-3);
        r.Check("cli image_depth", "image_depth", got.ReadFloat32("image_depth"), got.Info("image_depth").Shape, 1e-3);
        Assert.That(File.Exists(Path.Combine(dir, "seed0000_cam00.png")) && File.Exists(Path.Combine(dir, "seed0000_cam00_depth.png"))
            && File.Exists(Path.Combine(dir, "contact_sheet.png")), Is.True);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.That(json.RootElement.GetProperty("ok").GetBoolean(), Is.True);
        var files = json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.That(files, Has.Count.EqualTo(5).And.Contains(Path.Combine(dir, "contact_sheet.png")).And.Contains(dump));
        Assert.That(files.All(File.Exists), Is.True);
        Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty);
        Assert.That(run.Stderr, Does.Contain("rendering 1 latent(s)"), "with --json the human lines go to stderr");
        Assert.That(run.Stderr, Does.Contain($"wrote {Path.Combine(dir, "contact_sheet.png")}"), "--verbose lists every file");
    }
}
