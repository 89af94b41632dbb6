// Where a photo's anchor lives and how anchors are written, in My3DGen's layout: `<image>_latent.npy` float32 [1,14,512]
// beside the photo, plus one `anchors.safetensors` (tensor per image name without extension, [1,14,512]) for
// `personalize --anchors`. Every file is written atomically (temp + rename), so no partial anchor ever exists.
using My3DGen.Engine.IO;
using My3DGen.Personalization.Data;

namespace My3DGen.Personalization.Projection;

/// <summary>Anchor paths and writers.</summary>
public static class AnchorFiles
{
    /// <summary>The collection file's name inside the person folder.</summary>
    public const string CollectionName = "anchors.safetensors";

    /// <summary><c>&lt;folder&gt;/&lt;image stem&gt;_latent.npy</c> for image <paramref name="imageName"/> (as named in dataset.json).</summary>
    public static string NpyPath(string folder, string imageName)
    {
        var rel = Path.Combine(Path.GetDirectoryName(imageName) ?? "", Path.GetFileNameWithoutExtension(imageName) + "_latent.npy");
        return Path.Combine(folder, rel);
    }

    /// <summary>The key of image <paramref name="imageName"/> in <see cref="CollectionName"/> (file name without extension, as
    /// <see cref="PersonDataset.Load"/> expects).</summary>
    public static string Key(string imageName) => Path.GetFileNameWithoutExtension(imageName);

    /// <summary>Writes ws (num_ws·w_dim floats) as float32 [1, num_ws, w_dim] .npy, atomically.</summary>
    public static void WriteNpy(string path, float[] latent, int numWs, int wDim)
    {
        if (latent.Length != numWs * wDim) throw new ArgumentException($"latent has {latent.Length} values, expected {numWs}·{wDim}", nameof(latent));
        NpyFile.Write(path, [1, numWs, wDim], latent);
    }

    /// <summary>Reads an existing anchor as num_ws·w_dim floats (a W anchor is repeated).</summary>
    /// <exception cref="DatasetException">Unreadable, or not [1,]num_ws,w_dim / [1,]w_dim.</exception>
    public static float[] ReadNpy(string path, int numWs, int wDim)
    {
        NpyArray arr;
        try { arr = NpyFile.Read(path); }
        catch (FileFormatException e) { throw new DatasetException(path, e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message, e); }
        if (arr.Data.Length == numWs * wDim) return arr.Data;
        if (arr.Data.Length == wDim) return Enumerable.Range(0, numWs).SelectMany(_ => arr.Data).ToArray();
        throw new DatasetException(path, $"anchor has shape [{string.Join(",", arr.Shape)}]; expected [1,{numWs},{wDim}] (use --force to project it again)");
    }

    /// <summary>Writes every anchor (key → num_ws·w_dim floats) into one safetensors file as [1, num_ws, w_dim], atomically.</summary>
    public static void WriteCollection(string path, IEnumerable<KeyValuePair<string, float[]>> anchors, int numWs, int wDim,
        IReadOnlyDictionary<string, string> metadata)
    {
        var writer = new SafeTensorsWriter();
        foreach (var (k, v) in metadata) writer.AddMetadata(k, v);
        foreach (var (key, latent) in anchors.OrderBy(a => a.Key, StringComparer.Ordinal)) writer.Add(key, [1, numWs, wDim], latent);
        writer.Write(path);
    }
}
