// Typed errors of the weights converter. All derive from the engine's FileFormatException, so callers
// (and the CLI) handle one exception type that always names the file and, where known, the byte offset.
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter;

/// <summary>A weight file is malformed, truncated, abusive or uses something the converter does not support.</summary>
public class WeightsFormatException : FileFormatException
{
    /// <summary>Creates the error for <paramref name="filePath"/> at absolute <paramref name="byteOffset"/>.</summary>
    public WeightsFormatException(string filePath, string problem, long? byteOffset = null, Exception? inner = null)
        : base(filePath, problem, byteOffset, inner) { }
}

/// <summary>A pickle references a global (module + name) that is not on the converter's allowlist.</summary>
public sealed class UnknownGlobalException : WeightsFormatException
{
    /// <summary>The Python module of the rejected global.</summary>
    public string Module { get; }
    /// <summary>The attribute name of the rejected global.</summary>
    public string Name { get; }

    /// <summary>Creates the error naming <paramref name="module"/>.<paramref name="name"/>.</summary>
    public UnknownGlobalException(string filePath, string module, string name, long byteOffset)
        : base(filePath, $"pickle references unknown global '{module}.{name}' (not on the allowlist; nothing is executed)", byteOffset)
    {
        Module = module;
        Name = name;
    }
}
