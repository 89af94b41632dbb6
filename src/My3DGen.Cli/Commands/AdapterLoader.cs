// Applies a personalized adapter file to a loaded generator for inference (merged into the weights, plain EG3D speed);
// a tensor that does not fit the model is reported as a problem of the adapter file, not as an internal error.
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Personalization.Lora;

namespace My3DGen.Cli.Commands;

internal static class AdapterLoader
{
    /// <summary>Merges the adapter at <paramref name="path"/> (none when null) into <paramref name="generator"/>; dispose to unmerge.</summary>
    public static IDisposable? Merge(Eg3dGenerator generator, string? path)
    {
        if (path == null) return null;
        try
        {
            var lora = AdapterFile.Apply(generator, path);
            lora?.Merge();
            return lora;
        }
        catch (TensorException e) { throw new FileFormatException(path, $"does not fit this model: {e.Message}"); }
    }
}
