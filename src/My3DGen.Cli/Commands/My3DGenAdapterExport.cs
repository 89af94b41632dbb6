// The second half of converting a My3DGen snapshot: the converter has written the base model (plain EG3D names) and
// returned the snapshot's LoRA factors; this loads that base and writes the factors as one of our adapter files
// (AdapterFile owns the format), so `render --adapter` reproduces what My3DGen renders from the snapshot.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.WeightsConverter;

namespace My3DGen.Cli.Commands;

internal static class My3DGenAdapterExport
{
    /// <summary>Writes <paramref name="lora"/> as an adapter of the base model at <paramref name="basePath"/>; returns its LoRA value count.</summary>
    public static long Write(ImportedLora lora, string basePath, string snapshotPath, string adapterPath)
    {
        using var generator = Eg3dGenerator.Load(basePath, CpuBackend.Instance);
        var provenance = new Dictionary<string, string>
        {
            ["source"] = Path.GetFileName(snapshotPath),
            ["converted_from"] = "my3dgen-snapshot",
            ["scaling"] = lora.Scaling.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        AdapterFile.SaveLora(generator, new LoraOptions(lora.Rank, (float)lora.Alpha),
            lora.Factors.ToDictionary(f => f.Name, f => f.Values), adapterPath, provenance);
        return lora.Factors.Sum(f => (long)f.Values.Length);
    }
}
