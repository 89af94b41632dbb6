// The person's latent anchors A = [w_1 … w_N] (one W+ code [num_ws, w_dim] per photo, W anchors repeated per layer),
// looked up by image name or index; the source of every personal-space operation (MyStyle §3: P0, α space).
using My3DGen.Personalization.Data;

namespace My3DGen.Tasks.Latents;

/// <summary>N named anchors, each num_ws × w_dim floats (row-major).</summary>
public sealed class AnchorSet
{
    readonly float[][] _ws;

    /// <summary>The anchors' names (the photos' file names).</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>ws per anchor (L).</summary>
    public int NumWs { get; }
    /// <summary>Width of one w (512 for EG3D).</summary>
    public int WDim { get; }
    /// <summary>N, the number of anchors.</summary>
    public int Count => _ws.Length;

    /// <summary>Anchors from named ws arrays of num_ws·w_dim floats each.</summary>
    /// <exception cref="ArgumentException">No anchors, or an anchor of another size.</exception>
    public AnchorSet(IReadOnlyList<string> names, IReadOnlyList<float[]> ws, int numWs, int wDim)
    {
        if (ws.Count == 0 || names.Count != ws.Count) throw new ArgumentException("need one name per anchor and at least one anchor");
        for (int i = 0; i < ws.Count; i++)
            if (ws[i].Length != numWs * wDim) throw new ArgumentException($"{names[i]}: anchor has {ws[i].Length} values, expected {numWs}×{wDim}");
        Names = names.ToArray(); _ws = ws.Select(a => (float[])a.Clone()).ToArray(); NumWs = numWs; WDim = wDim;
    }

    /// <summary>The anchors of a person dataset (one per photo, in dataset.json order).</summary>
    public static AnchorSet FromDataset(PersonDataset data) =>
        new(data.Samples.Select(s => s.Name).ToList(), data.Samples.Select(s => s.Latent).ToList(), data.NumWs, data.Samples[0].Latent.Length / data.NumWs);

    /// <summary>Anchor <paramref name="index"/>'s ws (num_ws·w_dim floats; do not modify).</summary>
    public float[] Ws(int index) => _ws[index];

    /// <summary>Value d of layer l of anchor i.</summary>
    public float this[int i, int layer, int d] => _ws[i][layer * WDim + d];

    /// <summary>True when every anchor repeats one w on all layers (W anchors rather than W+).</summary>
    public bool AllLayersEqual => _ws.All(a => Enumerable.Range(1, NumWs - 1).All(l => a.AsSpan(l * WDim, WDim).SequenceEqual(a.AsSpan(0, WDim))));

    /// <summary>Finds an anchor by its image name (with or without extension) or by its 0-based index.</summary>
    /// <exception cref="TaskInputException">No anchor of that name, or an index out of range.</exception>
    public int Find(string nameOrIndex)
    {
        for (int i = 0; i < Count; i++)
            if (Names[i] == nameOrIndex || Path.GetFileNameWithoutExtension(Names[i]) == nameOrIndex) return i;
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k))
        {
            if (k < Count) return k;
            throw new TaskInputException(nameOrIndex, $"anchor index out of range: the person has {Count} anchors (0–{Count - 1})");
        }
        throw new TaskInputException(nameOrIndex, $"no anchor of that name; the person's images are {string.Join(", ", Names.Take(8))}{(Count > 8 ? ", …" : "")}");
    }

    /// <summary>The N × w_dim matrix of layer <paramref name="layer"/> (row i = anchor i's w at that layer), in double.</summary>
    public double[,] LayerMatrix(int layer)
    {
        var a = new double[Count, WDim];
        for (int i = 0; i < Count; i++)
            for (int d = 0; d < WDim; d++) a[i, d] = _ws[i][layer * WDim + d];
        return a;
    }
}
