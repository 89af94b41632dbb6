// Sizes of the ray-marching, importance-sampling and ray-generation kernels. Samples are rows of 33 floats
// (σ then 32 colour features, the fused decoder's output) ordered [ray, sample]; depths [ray, sample], sorted per ray.
namespace My3DGen.Kernels;

/// <summary>A MipRayMarcher2 call over Rays rays whose samples are the merge of two depth-sorted lists.</summary>
public struct RayMarchParams
{
    /// <summary>Number of rays.</summary>
    public int Rays;
    /// <summary>Samples per ray in the first (coarse) list.</summary>
    public int Coarse;
    /// <summary>Samples per ray in the second (fine) list; 0 for a single list.</summary>
    public int Fine;
    /// <summary>1 adds 1 − Σw to the features (EG3D white_back); 0 for FFHQ.</summary>
    public int WhiteBack;
    /// <summary>1 writes the K−1 compositing weights per ray.</summary>
    public int WithWeights;

    /// <summary>Samples per ray after the merge.</summary>
    public readonly int Total => Coarse + Fine;
}

/// <summary>Depth sampling settings: coarse stratified depths and EG3D's importance sampling.</summary>
public struct DepthSamplingParams
{
    /// <summary>Number of rays.</summary>
    public int Rays;
    /// <summary>Coarse samples per ray D.</summary>
    public int Coarse;
    /// <summary>Importance samples per ray.</summary>
    public int Fine;
    /// <summary>ray_start.</summary>
    public float Start;
    /// <summary>ray_end.</summary>
    public float End;
    /// <summary>1: jittered coarse depths and random importance u (drawn from <see cref="Seed"/>); 0: the deterministic rule
    /// (t_k = start + k·Δ, u = linspace(0, 1), the fixtures); 2: the deterministic rule at the jittered samples' mean positions
    /// (t_k + Δ/2 and u_q = (q + 1)/(F + 1), the mean of the q-th of F sorted uniforms).</summary>
    public int Stratified;
    /// <summary>Seed of the counter-based random numbers.</summary>
    public uint Seed;
}

/// <summary>Constants of the march's layouts.</summary>
public static class RayMarchLayout
{
    /// <summary>Floats per sample row (σ + 32 features).</summary>
    public const int SampleRow = 33;
    /// <summary>Colour feature channels.</summary>
    public const int Channels = 32;
    /// <summary>Floats per output row (32 features, then depth).</summary>
    public const int OutputRow = 33;
    /// <summary>Scratch floats per interval in the backward (T, α, w, dα/dx, g).</summary>
    public const int ScratchPerInterval = 5;
    /// <summary>Stream of the coarse-depth jitter in <see cref="CounterRng"/>.</summary>
    public const uint JitterStream = 1;
    /// <summary>Stream of the importance u.</summary>
    public const uint ImportanceStream = 2;
}
