// Rows of the CLI table for bad input files and output paths: models, latents (--z/--ws), cameras, adapters, and
// paths that are folders, files or missing. Exit 1, one line naming the user's file, nothing written.
using My3DGen.Engine.IO;
using static My3DGen.Cli.Tests.Cases;
using static My3DGen.Cli.Tests.TestFiles;

namespace My3DGen.Cli.Tests;

internal static class FileCases
{
    static string Z(CaseDir d, int[] shape, bool bigEndian = false, int truncateBy = 0) => Npy(d.File("z.npy"), shape, 0.3f, bigEndian, truncateBy);
    static string Ws(CaseDir d, int[] shape, bool bigEndian = false, int truncateBy = 0) => Npy(d.File("ws.npy"), shape, 0.01f, bigEndian, truncateBy);
    static string Cam(CaseDir d, int[] shape, float fill = 0.5f, int truncateBy = 0) => Npy(d.File("cam.npy"), shape, fill, false, truncateBy);

    public static IEnumerable<CliCase> Models() =>
    [
        User("model missing", d => ["render", "-m", d.File("nope.safetensors"), "-o", d.Out], d => d.File("nope.safetensors")),
        User("model is a folder", d => ["render", "-m", d.Dir, "-o", d.Out], d => d.Dir),
        User("model is text", d => ["render", "-m", Text(d.File("m.safetensors"), "hello, not weights"), "-o", d.Out], d => d.File("m.safetensors")),
        User("model is empty", d => ["render", "-m", Text(d.File("m.safetensors"), ""), "-o", d.Out], d => d.File("m.safetensors")),
        User("model truncated", d => ["render", "-m", Truncated(d.File("m.safetensors"), TestWorld.Model, 100_000), "-o", d.Out], d => d.File("m.safetensors")),
        User("model without EG3D metadata", d =>
        {
            var w = new SafeTensorsWriter();
            w.Add("x", [2], [1f, 2f]);
            w.Write(d.File("m.safetensors"));
            return ["render", "-m", d.File("m.safetensors"), "-o", d.Out];
        }, d => d.File("m.safetensors")),
        User("personalize model missing", d => ["personalize", "-m", d.File("nope.safetensors"), "--data", TestWorld.Dataset, "--lpips-random", "-o", AdapterOut(d)],
            d => d.File("nope.safetensors")),
        User("shape model is text", d => ["shape", "-m", Text(d.File("m.safetensors"), "{}"), "-o", d.File("out/f.ply")], d => d.File("m.safetensors")),
        User("unknown device", d => ["render", "-m", TestWorld.Model, "-o", d.Out, "--device", "quantum"], _ => "quantum"),
    ];

    public static IEnumerable<CliCase> Latents() =>
    [
        User("--z missing", d => Render(d, "--z", d.File("z.npy")), d => d.File("z.npy")),
        User("--z is a folder", d => Render(d, "--z", d.Dir), d => d.Dir),
        User("--z wrong shape", d => Render(d, "--z", Z(d, [3, 7])), d => d.File("z.npy") + ": expected shape [N,512], got [3,7]"),
        User("--z rank 3", d => Render(d, "--z", Z(d, [1, 1, 512])), d => d.File("z.npy")),
        User("--z big-endian", d => Render(d, "--z", Z(d, [1, 512], bigEndian: true)), d => d.File("z.npy")),
        User("--z truncated", d => Render(d, "--z", Z(d, [1, 512], truncateBy: 100)), d => d.File("z.npy")),
        User("--z not .npy", d => Render(d, "--z", Text(d.File("z.npy"), "0.1 0.2")), d => d.File("z.npy")),
        User("--z with no rows", d => Render(d, "--z", Z(d, [0, 512])), d => d.File("z.npy")),
        User("--ws wrong width", d => Render(d, "--ws", Ws(d, [2, 14, 511])), d => d.File("ws.npy") + ": expected shape [N,14,512]"),
        User("--ws truncated", d => Render(d, "--ws", Ws(d, [14, 512], truncateBy: 4)), d => d.File("ws.npy")),
        User("--ws big-endian", d => Render(d, "--ws", Ws(d, [14, 512], bigEndian: true)), d => d.File("ws.npy")),
        User("--ws [7,1024] (right count, wrong shape)", d => Render(d, "--ws", Ws(d, [7, 1024])), d => d.File("ws.npy")),
        User("shape --ws with two latents", d => Shape(d, "--ws", Ws(d, [2, 14, 512])), d => d.File("ws.npy")),
        User("shape --ws wrong shape", d => Shape(d, "--ws", Ws(d, [14, 500])), d => d.File("ws.npy")),
    ];

    public static IEnumerable<CliCase> Cameras() =>
    [
        User("--camera [25,2]", d => Render(d, "--camera", Cam(d, [25, 2])), d => d.File("cam.npy") + ": expected shape [K,25], got [25,2]"),
        User("--camera [24]", d => Render(d, "--camera", Cam(d, [24])), d => d.File("cam.npy")),
        User("--camera [2,24]", d => Render(d, "--camera", Cam(d, [2, 24])), d => d.File("cam.npy")),
        User("--camera NaN", d => Render(d, "--camera", Cam(d, [1, 25], float.NaN)), d => d.File("cam.npy") + ": value 0 of camera 0 is NaN"),
        User("--camera truncated", d => Render(d, "--camera", Cam(d, [2, 25], truncateBy: 8)), d => d.File("cam.npy")),
        User("--camera missing", d => Render(d, "--camera", d.File("cam.npy")), d => d.File("cam.npy")),
        User("--cond-camera [2,25]", d => Render(d, "--cond-camera", Cam(d, [2, 25])), d => d.File("cam.npy") + ": expected shape [25]"),
        User("--cond-camera [24]", d => Render(d, "--cond-camera", Cam(d, [24])), d => d.File("cam.npy")),
        User("--cond-camera Infinity", d => Render(d, "--cond-camera", Cam(d, [25], float.PositiveInfinity)), d => d.File("cam.npy")),
    ];

    public static IEnumerable<CliCase> Adapters() =>
    [
        User("--adapter missing", d => Render(d, "--adapter", d.File("a.safetensors")), d => d.File("a.safetensors")),
        User("--adapter is text", d => Render(d, "--adapter", Text(d.File("a.safetensors"), "lora")), d => d.File("a.safetensors")),
        User("--adapter is the model", d => Render(d, "--adapter", TestWorld.Model), _ => TestWorld.Model),
        User("--adapter is a checkpoint", d => Render(d, "--adapter", TestWorld.Checkpoint), _ => TestWorld.Checkpoint),
        User("--adapter of another base model", d => ["render", "-m", TestWorld.OtherModel, "--device", "cpu", "-o", d.Out, "--adapter", TestWorld.Adapter],
            _ => TestWorld.Adapter),
    ];

    public static IEnumerable<CliCase> Paths() =>
    [
        User("render -o an existing file", d => ["render", "-m", TestWorld.Model, "-o", Text(d.File("taken.png"), "x")], d => d.File("taken.png") + ": is a file"),
        User("render -o below a file", d => ["render", "-m", TestWorld.Model, "-o", Path.Combine(Text(d.File("f"), "x"), "sub")], d => d.File("f")),
        User("render --save-tensors is a folder", d => Render(d, "--save-tensors", d.Dir), d => d.Dir + ": is a folder"),
        User("shape -o is a folder", d => { Directory.CreateDirectory(d.File("f.ply")); return ["shape", "-m", TestWorld.Model, "-o", d.File("f.ply")]; },
            d => d.File("f.ply") + ": is a folder"),
        User("convert a folder", d => ["convert", d.Dir, "-o", d.File("out/x.safetensors")], d => d.Dir + ": is a folder"),
        User("convert a missing file", d => ["convert", d.File("in.pkl"), "-o", d.File("out/x.safetensors")], d => d.File("in.pkl")),
        User("convert -o a folder", d => { Directory.CreateDirectory(d.Out); return ["convert", FixturePkl, "-o", d.Out]; }, d => d.Out + ": is a folder"),
        User("convert a text file", d => ["convert", Text(d.File("in.pkl"), "not a pickle"), "-o", d.File("out/x.safetensors")], d => d.File("in.pkl")),
        User("inspect a missing file", d => ["inspect", d.File("x.pkl")], d => d.File("x.pkl")),
        User("inspect a folder", d => ["inspect", d.Dir], d => d.Dir + ": is a folder"),
        User("personalize -o a folder", d => { Directory.CreateDirectory(AdapterOut(d)); return Personalize(d); }, d => AdapterOut(d) + ": is a folder"),
        User("personalize --anchors missing", d => Personalize(d, "--anchors", d.File("anchors.safetensors")), d => d.File("anchors.safetensors")),
        User("personalize --lpips-backbone missing", d => ["personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "-o", AdapterOut(d),
            "--lpips-backbone", d.File("alex.safetensors"), "--lpips-lin", d.File("lin.safetensors")], d => d.File("alex.safetensors")),
    ];

    static string FixturePkl => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "eg3d", "eg3d-tiny.pkl");
}
