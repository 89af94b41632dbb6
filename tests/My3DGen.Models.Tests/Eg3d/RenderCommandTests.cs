// The `my3dgen render` command end to end on the tiny model: seed 0, ψ 0.7, the fixture's conditioning and render
// cameras from .npy files, deterministic sampling; its tensor dump must reproduce the psi0.7/cam1 fixture.
using System.CommandLine;
using My3DGen.Cli.Commands;
using My3DGen.Engine.IO;

namespace My3DGen.Models.Tests.Eg3d;

public class RenderCommandTests
{
    [Test]
    public void RenderCommandReproducesTheFixtureCase()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        var dir = Path.Combine(Path.GetTempPath(), "my3dgen-models-tests", $"render-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        NpyFile.Write(Path.Combine(dir, "cond.npy"), [25], r.Read("input.c_cond"));
        NpyFile.Write(Path.Combine(dir, "cam.npy"), [1, 25], r.Read("input.c"));
        var dump = Path.Combine(dir, "out.safetensors");
        var root = new RootCommand { RenderCommand.Create() };
        int rc = root.Parse(["render", "--model", FixtureData.TinyModel, "--seeds", "0", "--psi", "0.7", "--device", "cpu",
            "--cond-camera", Path.Combine(dir, "cond.npy"), "--camera", Path.Combine(dir, "cam.npy"), "--deterministic",
            "--out", dir, "--save-tensors", dump]).Invoke();
        Assert.That(rc, Is.EqualTo(0));
        using var got = SafeTensorsFile.Open(dump);
        r.Check("cli ws", "ws", got.ReadFloat32("ws"), got.Info("ws").Shape, 1e-4);
        r.Check("cli image", "image", got.ReadFloat32("image"), got.Info("image").Shape, 1e-3);
        r.Check("cli image_depth", "image_depth", got.ReadFloat32("image_depth"), got.Info("image_depth").Shape, 1e-3);
        Assert.That(File.Exists(Path.Combine(dir, "seed0000_cam00.png")) && File.Exists(Path.Combine(dir, "seed0000_cam00_depth.png"))
            && File.Exists(Path.Combine(dir, "contact_sheet.png")), Is.True);
        Directory.Delete(dir, true);
    }
}
