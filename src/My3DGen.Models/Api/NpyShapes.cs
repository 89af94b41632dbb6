// Reads a user's .npy and checks its shape (not just its value count) against the accepted layouts, so that
// e.g. a [25,2] array is never taken for two 25-float cameras; errors name the file and both shapes.
using My3DGen.Engine.IO;

namespace My3DGen.Models.Api;

internal static class NpyShapes
{
    /// <summary>Reads <paramref name="path"/> and requires its shape to match one of <paramref name="layouts"/>
    /// (−1 = any positive length); <paramref name="expected"/> is the shape named in the error.</summary>
    public static NpyArray Read(string path, string expected, params int[][] layouts)
    {
        if (Directory.Exists(path)) throw new FileFormatException(path, "is a folder, expected a .npy file");
        var arr = NpyFile.Read(path);
        if (!layouts.Any(l => Matches(arr.Shape, l)))
            throw new FileFormatException(path, $"expected shape {expected}, got [{string.Join(",", arr.Shape)}]");
        return arr;
    }

    static bool Matches(int[] shape, int[] layout) =>
        shape.Length == layout.Length && shape.Zip(layout).All(p => p.Second < 0 ? p.First > 0 : p.First == p.Second);
}
