// Minimal `--name value` option lookup shared by the bench verbs.
namespace My3DGen.Bench;

public static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when absent.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
