// Typed errors raised while building an EG3D generator from a weights file: a missing tensor, a tensor of
// the wrong shape, or unusable configuration metadata. Every message names the file and the tensor/key.
using My3DGen.Engine.IO;

namespace My3DGen.Models.Eg3d;

/// <summary>The weights file cannot be used as an EG3D generator (a FileFormatException, so the CLI reports it as a user error).</summary>
/// <summary>A weights file is unusable for the generator (bad metadata, missing or misshapen tensors).</summary>
public class ModelFormatException(string path, string message) : FileFormatException(path, message);

/// <summary>A required tensor is absent from the weights file.</summary>
public sealed class MissingTensorException(string path, string tensor)
    : ModelFormatException(path, $"missing tensor '{tensor}'")
{
    /// <summary>The EG3D state-dict name of the missing tensor.</summary>
    public string TensorName { get; } = tensor;
}

/// <summary>A tensor has a different shape than the configuration requires.</summary>
public sealed class TensorShapeException(string path, string tensor, int[] expected, int[] actual)
    : ModelFormatException(path, $"tensor '{tensor}' has shape [{string.Join(",", actual)}], expected [{string.Join(",", expected)}]")
{
    /// <summary>The EG3D state-dict name of the misshapen tensor.</summary>
    public string TensorName { get; } = tensor;
}
