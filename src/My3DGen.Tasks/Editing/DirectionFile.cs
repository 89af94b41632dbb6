// Reading and writing W-space edit directions as .npy [1, w_dim] (InterFaceGAN's float64 boundaries, PTI/MyStyle's
// float32 exports converted with `my3dgen convert`), normalised to unit length on read.
using My3DGen.Engine.IO;

namespace My3DGen.Tasks.Editing;

/// <summary>Direction files (.npy [1, w_dim] or [w_dim], float32 or float64).</summary>
public static class DirectionFile
{
    /// <summary>Reads a direction and returns it with unit length, with the norm it was stored with.</summary>
    /// <exception cref="TaskInputException">Missing file, not a .npy, wrong shape, non-finite or zero.</exception>
    public static (float[] Direction, double StoredNorm) Read(string path, int wDim = 512)
    {
        NpyArray arr;
        try { arr = NpyFile.Read(path); }
        catch (FileNotFoundException) { throw new TaskInputException(path, "direction file not found"); }
        catch (FileFormatException e) { throw new TaskInputException(path, e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message, e); }
        bool ok = arr.Shape.SequenceEqual(new[] { 1, wDim }) || arr.Shape.SequenceEqual(new[] { wDim });
        if (!ok) throw new TaskInputException(path, $"direction has shape [{string.Join(",", arr.Shape)}]; expected [1,{wDim}] or [{wDim}]");
        if (arr.Data.Any(v => !float.IsFinite(v))) throw new TaskInputException(path, "direction has non-finite values");
        double norm = Math.Sqrt(arr.Data.Sum(v => (double)v * v));
        if (norm == 0) throw new TaskInputException(path, "direction is all zeros");
        return (arr.Data.Select(v => (float)(v / norm)).ToArray(), norm);
    }

    /// <summary>Writes <paramref name="direction"/> as a float32 .npy [1, w_dim], atomically.</summary>
    public static void Write(string path, ReadOnlySpan<float> direction) => NpyFile.Write(path, [1, direction.Length], direction);
}
