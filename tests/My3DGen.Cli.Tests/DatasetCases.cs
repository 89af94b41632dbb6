// Rows of the CLI table for broken person folders (personalize): each starts from a valid 4-photo dataset and breaks
// one thing. Exit 1 and one line naming the file at fault, before any training; and resume mismatches.
using My3DGen.Models.Cameras;
using static My3DGen.Cli.Tests.Cases;
using static My3DGen.Cli.Tests.TestFiles;

namespace My3DGen.Cli.Tests;

internal static class DatasetCases
{
    /// <summary>A row that builds a valid dataset in the case folder, applies <paramref name="breakIt"/> and expects its file named.</summary>
    static CliCase Broken(string name, Func<string, string> breakIt) => new(name, d =>
    {
        var data = Dataset(d.File("person"));
        d.Notes["file"] = breakIt(data);
        return PersonalizeData(d, data);
    }, 1, d => d.Notes["file"]);

    static string In(string data, string name) => Path.Combine(data, name);

    public static IEnumerable<CliCase> All() =>
    [
        User("--data missing", d => PersonalizeData(d, d.File("nobody")), d => d.File("nobody")),
        User("--data is a file", d => PersonalizeData(d, Text(d.File("person.json"), "{}")), d => d.File("person.json")),
        User("--data empty folder", d => PersonalizeData(d, Directory.CreateDirectory(d.File("empty")).FullName), d => d.File("empty")),
        Broken("dataset.json missing", data => { File.Delete(In(data, "dataset.json")); return In(data, "dataset.json"); }),
        Broken("dataset.json not JSON", data => Text(In(data, "dataset.json"), "labels: [oops")),
        Broken("dataset.json without labels", data => Text(In(data, "dataset.json"), "{\"cameras\": []}")),
        Broken("dataset.json with no labels", data => Text(In(data, "dataset.json"), "{\"labels\": []}")),
        Broken("label of 24 numbers", data =>
        {
            WriteLabels(data, Photos.Select((p, i) => new object[] { p, CameraLabel.Create(0, 0)[..(i == 2 ? 24 : 25)] }));
            return In(data, "dataset.json");
        }),
        Broken("label with a string value", data => Text(In(data, "dataset.json"), "{\"labels\": [[\"img0.png\", [\"a\"]]]}")),
        Broken("label not a pair", data => Text(In(data, "dataset.json"), "{\"labels\": [\"img0.png\"]}")),
        Broken("image missing", data => { File.Delete(In(data, "img1.png")); return In(data, "img1.png"); }),
        Broken("image of the wrong size", data =>
        {
            Dataset(data + "-small", resolution: 64);
            File.Copy(In(data + "-small", "img2.png"), In(data, "img2.png"), true);
            return In(data, "img2.png");
        }),
        Broken("image truncated", data => Truncated(In(data, "img3.png"), In(data, "img3.png"), 200)),
        Broken("image with a bad CRC", data => { CorruptPngCrc(In(data, "img0.png")); return In(data, "img0.png"); }),
        Broken("image is text", data => Text(In(data, "img1.png"), "not a png")),
        Broken("latent of the wrong shape", data => Npy(In(data, "img0_latent.npy"), [3, 512])),
        Broken("latent big-endian", data => Npy(In(data, "img1_latent.npy"), [14, 512], bigEndian: true)),
        Broken("latent truncated", data => Npy(In(data, "img3_latent.npy"), [14, 512], truncateBy: 1000)),
        Broken("latent not .npy", data => Text(In(data, "img3_latent.npy"), "[0.1, 0.2]")),
        User("--anchors without the image's key", d =>
        {
            var w = new Engine.IO.SafeTensorsWriter();
            w.Add("someone_else", [14, 512], new float[14 * 512]);
            w.Write(d.File("anchors.safetensors"));
            return Personalize(d, "--anchors", d.File("anchors.safetensors"));
        }, d => d.File("anchors.safetensors")),
    ];

    /// <summary>Resume rows: each copies the 2-step checkpoint (and ask for 2 steps: a row that wrongly passes trains nothing) next to the case's adapter path first.</summary>
    static CliCase Resume(string name, int exit, Func<CaseDir, string[]> args, Func<CaseDir, string>? expect = null) => new(name, d =>
    {
        Directory.CreateDirectory(d.File("run"));
        File.Copy(TestWorld.Checkpoint, d.File("run/a.lora.ckpt.safetensors"));
        return args(d);
    }, exit, expect ?? (d => d.File("run/a.lora.ckpt.safetensors")));

    static string[] ResumeArgs(CaseDir d, string data, params string[] extra) =>
        ["personalize", "-m", TestWorld.Model, "--data", data, "--lpips-random", "--device", "cpu", "-o", d.File("run/a.lora.safetensors"), "--resume", .. extra];

    public static IEnumerable<CliCase> ResumeCases() =>
    [
        User("--resume without a checkpoint", d => [.. Personalize(d), "--resume"], d => Path.Combine(d.Out, "a.lora.ckpt.safetensors")),
        Resume("--resume --steps behind the checkpoint", 1, d => ResumeArgs(d, TestWorld.Dataset, "--steps", "1")),
        Resume("--resume with another --rank", 1, d => ResumeArgs(d, TestWorld.Dataset, "--steps", "2", "--rank", "2")),
        Resume("--resume with another --lr", 1, d => ResumeArgs(d, TestWorld.Dataset, "--steps", "2", "--lr", "0.01")),
        Resume("--resume on another base model", 1, d => ["personalize", "-m", TestWorld.OtherModel, "--data", TestWorld.Dataset, "--lpips-random",
            "--device", "cpu", "-o", d.File("run/a.lora.safetensors"), "--resume", "--steps", "2"]),
        Resume("--resume from a garbage checkpoint", 1, d =>
        {
            File.WriteAllText(d.File("run/a.lora.ckpt.safetensors"), "garbage");
            return ResumeArgs(d, TestWorld.Dataset, "--steps", "2");
        }),
        // The checkpoint carries a fingerprint of the dataset it was trained on.
        Resume("--resume with another --data", 1, d => ResumeArgs(d, Dataset(d.File("other-person"), seed: 7), "--steps", "2")),
    ];
}
