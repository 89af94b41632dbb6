// Paths of the fixture copies in the test output folder and a per-test scratch folder.
namespace My3DGen.WeightsConverter.Tests;

internal static class TestFiles
{
    public static string Fixture(params string[] parts) =>
        Path.Combine(new[] { TestContext.CurrentContext.TestDirectory, "fixtures" }.Concat(parts).ToArray());

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "my3dgen-conv-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
