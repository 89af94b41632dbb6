// Geometry of one fused tri-plane sampling + OSG decoder call and the fixed layouts it uses: planes channel-last
// [N,3,H,W,32], rays [N·M, 6] (origin, unit direction), depths [N·M, K], the packed decoder parameters and the
// per-point row the backward writes. Shared by the kernels, both backends and the reference.
namespace My3DGen.Kernels;

/// <summary>Sizes of a fused tri-plane decode over Batch·RaysPerBatch rays with Samples depths each.</summary>
public struct TriplaneParams
{
    /// <summary>Batch size N (plane sets).</summary>
    public int Batch;
    /// <summary>Plane height H.</summary>
    public int Height;
    /// <summary>Plane width W.</summary>
    public int Width;
    /// <summary>Rays per batch item M.</summary>
    public int RaysPerBatch;
    /// <summary>Depth samples per ray K.</summary>
    public int Samples;
    /// <summary>2 / box_warp: world units to plane coordinates in [−1, 1].</summary>
    public float Scale;
    /// <summary>First point of the chunk a backward kernel processes.</summary>
    public int ChunkStart;
    /// <summary>Points in that chunk.</summary>
    public int ChunkCount;

    /// <summary>Total sample points N·M·K.</summary>
    public readonly int Points => Batch * RaysPerBatch * Samples;
    /// <summary>Elements of one plane (H·W·32).</summary>
    public readonly int PlaneSize => Height * Width * TriplaneLayout.Channels;
}

/// <summary>Fixed sizes and offsets of the decoder and the backward's per-point rows.</summary>
public static class TriplaneLayout
{
    /// <summary>Feature channels per plane.</summary>
    public const int Channels = 32;
    /// <summary>Decoder hidden units.</summary>
    public const int Hidden = 64;
    /// <summary>Decoder outputs per point: σ then 32 colour features.</summary>
    public const int Outputs = 33;
    /// <summary>Offset of W1 [64, 32] (gain applied) in the packed decoder.</summary>
    public const int W1 = 0;
    /// <summary>Offset of b1 [64].</summary>
    public const int B1 = W1 + Hidden * Channels;
    /// <summary>Offset of W2 [33, 64] (gain applied).</summary>
    public const int W2 = B1 + Hidden;
    /// <summary>Offset of b2 [33].</summary>
    public const int B2 = W2 + Outputs * Hidden;
    /// <summary>Length of the packed decoder.</summary>
    public const int DecoderSize = B2 + Outputs;
    /// <summary>Scratch per point of the forward: features (32) and hidden (64).</summary>
    public const int ForwardScratch = Channels + Hidden;

    /// <summary>Backward row: gradient of the decoder outputs (pre-activation) [33].</summary>
    public const int RowGo = 0;
    /// <summary>Backward row: hidden activations h [64].</summary>
    public const int RowH = RowGo + Outputs;
    /// <summary>Backward row: gradient of the hidden pre-activations [64].</summary>
    public const int RowGa = RowH + Hidden;
    /// <summary>Backward row: plane-mean features [32].</summary>
    public const int RowF = RowGa + Hidden;
    /// <summary>Backward row: gradient of each plane's bilinear sample (already divided by 3) [32].</summary>
    public const int RowGf = RowF + Channels;
    /// <summary>Length of a backward row.</summary>
    public const int RowSize = RowGf + Channels;
}
