// Rows of the CLI table for command-line mistakes: unknown verbs/options, malformed, non-finite or out-of-range numbers,
// conflicting options. All are rejected before any file is read: exit 2, one line naming the option, "see --help".
using static My3DGen.Cli.Tests.Cases;

namespace My3DGen.Cli.Tests;

internal static class UsageCases
{
    public static IEnumerable<CliCase> All() =>
    [
        Usage("no verb", _ => [], "Required command"),
        Usage("unknown verb", _ => ["frobnicate"], "frobnicate"),
        Usage("unknown option", d => Render(d, "--bogus"), "--bogus"),
        Usage("render without --model", d => ["render", "-o", d.Out], "--model"),
        Usage("render --psi NaN", d => Render(d, "--psi=NaN"), "--psi"),
        Usage("render --psi Infinity", d => Render(d, "--psi=Infinity"), "--psi"),
        Usage("render --psi not a number", d => Render(d, "--psi", "abc"), "abc"),
        Usage("render --orbit negative", d => Render(d, "--orbit=-1"), "--orbit"),
        Usage("render --orbit too many frames", d => Render(d, "--orbit", "100000"), "--orbit"),
        Usage("render --trunc-cutoff negative", d => Render(d, "--trunc-cutoff=-1"), "--trunc-cutoff"),
        Usage("render --seeds not a seed", d => Render(d, "--seeds", "abc"), "--seeds"),
        Usage("render --seeds reversed range", d => Render(d, "--seeds", "5-2"), "5-2"),
        Usage("render --seeds negative", d => Render(d, "--seeds=-1"), "--seeds"),
        Usage("render --yaw not a number", d => Render(d, "--yaw", "0,abc"), "--yaw"),
        Usage("render --yaw Infinity", d => Render(d, "--yaw=Infinity"), "--yaw"),
        Usage("render --pitch NaN", d => Render(d, "--pitch=NaN"), "--pitch"),
        Usage("render --pitch beyond π/2", d => Render(d, "--pitch", "3"), "--pitch"),
        Usage("render --z and --ws together", d => Render(d, "--z", "a.npy", "--ws", "b.npy"), "--z and --ws"),
        Usage("--quiet with --verbose", d => Render(d, "-q", "-v"), "--quiet and --verbose"),
        Usage("eval --thetas 1", d => ["eval", "-m", "g.safetensors", "--data", d.Out, "--thetas", "1", "-o", d.Out], "--thetas"),
        Usage("eval --adapter with a bad label", d => ["eval", "-m", "g.safetensors", "--data", d.Out, "--adapter", "a/b=x.safetensors", "-o", d.Out], "--adapter"),
        Usage("shape --resolution 1", d => Shape(d, "--resolution", "1"), "--resolution"),
        Usage("shape --resolution 5000", d => Shape(d, "--resolution", "5000"), "--resolution"),
        Usage("shape --level NaN", d => Shape(d, "--level=NaN"), "--level"),
        Usage("shape --seed negative", d => Shape(d, "--seed=-1"), "--seed"),
        Usage("shape --out .obj", d => ["shape", "-m", TestWorld.Model, "-o", d.File("out/face.obj")], "face.obj"),
        Usage("personalize --lr Infinity", d => Personalize(d, "--lr=Infinity"), "--lr"),
        Usage("personalize --lr NaN", d => Personalize(d, "--lr=NaN"), "--lr"),
        Usage("personalize --lr 0", d => Personalize(d, "--lr", "0"), "--lr"),
        Usage("personalize --lr negative", d => Personalize(d, "--lr=-0.1"), "--lr"),
        Usage("personalize --lr above 1", d => Personalize(d, "--lr", "5"), "--lr"),
        Usage("personalize --steps 0", d => Personalize(d, "--steps", "0"), "--steps"),
        Usage("personalize --steps negative", d => Personalize(d, "--steps=-5"), "--steps"),
        Usage("personalize --steps not a number", d => Personalize(d, "--steps", "many"), "many"),
        Usage("personalize --batch 0", d => Personalize(d, "--batch", "0"), "--batch"),
        Usage("personalize --rank 0", d => Personalize(d, "--rank", "0"), "--rank"),
        Usage("personalize --alpha NaN", d => Personalize(d, "--alpha=NaN"), "--alpha"),
        Usage("personalize --seed negative", d => Personalize(d, "--seed=-3"), "--seed"),
        Usage("personalize --checkpoint-every negative", d => Personalize(d, "--checkpoint-every=-1"), "--checkpoint-every"),
        Usage("personalize --preview-every negative", d => Personalize(d, "--preview-every=-1"), "--preview-every"),
        Usage("personalize without LPIPS weights", d => ["personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "-o", AdapterOut(d)], "--lpips-random"),
        Usage("demo --steps 0", d => ["demo", "--steps", "0", "-o", d.Out], "--steps"),
        Usage("demo --lr NaN", d => ["demo", "--lr=NaN", "-o", d.Out], "--lr"),
        Usage("demo --person-strength Infinity", d => ["demo", "--person-strength=Infinity", "-o", d.Out], "--person-strength"),
        Usage("convert without -o", _ => ["convert", TestWorld.Model], "--output"),
        Usage("inspect without a file", _ => ["inspect"], "Required argument missing for command: 'inspect'"),
    ];
}
