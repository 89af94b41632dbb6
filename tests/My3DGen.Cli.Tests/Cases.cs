// Shared pieces of the case tables: the usual command lines of each verb on the tiny model, pointing their outputs
// into the case's "out" folder, so a row only states what it breaks.
namespace My3DGen.Cli.Tests;

internal static class Cases
{
    public static string[] Render(CaseDir d, params string[] extra) => ["render", "-m", TestWorld.Model, "--device", "cpu", "-o", d.Out, .. extra];

    public static string[] Shape(CaseDir d, params string[] extra) => ["shape", "-m", TestWorld.Model, "--device", "cpu", "-o", Path.Combine(d.Out, "face.ply"), .. extra];

    public static string AdapterOut(CaseDir d) => Path.Combine(d.Out, "a.lora.safetensors");

    public static string[] Personalize(CaseDir d, params string[] extra) =>
        ["personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--lpips-random", "--device", "cpu", "-o", AdapterOut(d), .. extra];

    public static string[] PersonalizeData(CaseDir d, string data, params string[] extra) =>
        ["personalize", "-m", TestWorld.Model, "--data", data, "--lpips-random", "--device", "cpu", "-o", AdapterOut(d), .. extra];

    /// <summary>A row expecting exit 2 whose message contains <paramref name="expect"/>.</summary>
    public static CliCase Usage(string name, Func<CaseDir, string[]> args, string expect) => new(name, args, 2, _ => expect);

    /// <summary>A row expecting exit 1 whose message contains the text <paramref name="expect"/> computes (usually a path).</summary>
    public static CliCase User(string name, Func<CaseDir, string[]> args, Func<CaseDir, string> expect) => new(name, args, 1, expect);
}
