// The sparse 1-D resampling matrix the tensor layer builds once per resize and every backend applies.
namespace My3DGen.Engine.Backends;

/// <summary>A sparse 1-D resampling matrix in CSR form: output row r takes Σ_k Weights[k]·in[Indices[k]]
/// for k in [RowStart[r], RowStart[r+1]). Used for bilinear (optionally antialiased) resize and its transpose.</summary>
/// <param name="InLength">Length of the input axis.</param>
/// <param name="OutLength">Length of the output axis (number of rows).</param>
/// <param name="RowStart">OutLength + 1 offsets into Indices/Weights.</param>
/// <param name="Indices">Input position of each nonzero.</param>
/// <param name="Weights">Weight of each nonzero.</param>
public sealed record AxisWeights(int InLength, int OutLength, int[] RowStart, int[] Indices, float[] Weights);
