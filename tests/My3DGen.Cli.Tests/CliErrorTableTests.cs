// The table-driven CLI test: every row (usage mistakes, bad models, latents, cameras, adapters, paths, datasets,
// resume mismatches, metrics inputs) runs my3dgen in-process and must end with its documented exit code, exactly one stderr line
// naming the file or option, no stack trace and no partial output.
namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class CliErrorTableTests
{
    static IEnumerable<TestCaseData> Rows(IEnumerable<CliCase> rows, string category) =>
        rows.Select(r => new TestCaseData(r).SetName($"{category}: {r.Name}").SetCategory(category));

    static IEnumerable<TestCaseData> Usage => Rows(UsageCases.All(), "usage");
    static IEnumerable<TestCaseData> Models => Rows(FileCases.Models(), "models");
    static IEnumerable<TestCaseData> Latents => Rows(FileCases.Latents(), "latents");
    static IEnumerable<TestCaseData> Cameras => Rows(FileCases.Cameras(), "cameras");
    static IEnumerable<TestCaseData> Adapters => Rows(FileCases.Adapters(), "adapters");
    static IEnumerable<TestCaseData> Paths => Rows(FileCases.Paths(), "paths");
    static IEnumerable<TestCaseData> Datasets => Rows(DatasetCases.All(), "datasets");
    static IEnumerable<TestCaseData> Resume => Rows(DatasetCases.ResumeCases(), "resume");
    static IEnumerable<TestCaseData> Metrics => Rows(MetricsCases.All(), "metrics");

    [TestCaseSource(nameof(Usage))] public void UsageErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Models))] public void ModelErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Latents))] public void LatentErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Cameras))] public void CameraErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Adapters))] public void AdapterErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Paths))] public void PathErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Datasets))] public void DatasetErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Resume))] public void ResumeErrors(object row) => ((CliCase)row).Verify();
    [TestCaseSource(nameof(Metrics))] public void MetricsErrors(object row) => ((CliCase)row).Verify();

    [Test]
    public void TheTableHoldsAtLeast88Cases()
    {
        int n = UsageCases.All().Count() + FileCases.Models().Count() + FileCases.Latents().Count() + FileCases.Cameras().Count()
                + FileCases.Adapters().Count() + FileCases.Paths().Count() + DatasetCases.All().Count() + DatasetCases.ResumeCases().Count();
        TestContext.Out.WriteLine($"{n} table rows");
        Assert.That(n, Is.GreaterThanOrEqualTo(88));
    }
}
