// What the built-in demo returns: where it wrote its pictures, adapter, generator and person folders, and the held-out
// numbers before and after.
namespace My3DGen.Personalization.Demo;

/// <summary>Mean error over the held-out views.</summary>
/// <param name="Mse">Mean squared error of the images in [−1, 1].</param>
/// <param name="Lpips">Mean LPIPS distance (random-weight AlexNet: comparable within the demo only).</param>
public sealed record DemoMetrics(double Mse, double Lpips);

/// <summary>Outputs and numbers of one demo run.</summary>
/// <param name="OutputDirectory">The folder written to.</param>
/// <param name="ContactSheet">PNG: rows person, before, after over the held-out views.</param>
/// <param name="LossCurve">PNG of the training loss per step.</param>
/// <param name="Adapter">The trained adapter file.</param>
/// <param name="Before">Held-out error of the base generator.</param>
/// <param name="After">Held-out error of the personalized generator.</param>
/// <param name="TrainableCount">Number of trained values.</param>
/// <param name="AdapterBytes">Size of the adapter file.</param>
/// <param name="Elapsed">Wall time of the whole demo.</param>
/// <param name="Generator">The base generator (safetensors; `-m` of the other verbs).</param>
/// <param name="PersonFolder">The training photos with dataset.json and their true anchors (`--data`).</param>
/// <param name="TestFolder">Held-out photos of the person with dataset.json, no anchors (`eval --test`, `invert`).</param>
public sealed record DemoReport(string OutputDirectory, string ContactSheet, string LossCurve, string Adapter,
    DemoMetrics Before, DemoMetrics After, long TrainableCount, long AdapterBytes, TimeSpan Elapsed,
    string Generator, string PersonFolder, string TestFolder);
