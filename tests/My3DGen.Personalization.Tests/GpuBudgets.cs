// THE place for the full-size GPU budgets (ffhq512-128, 512² images), measured with the counting backend. When a change
// moves a number (e.g. EG3D's transposed up-conv + FIR cuts the super-resolution and backbone GFLOP), update it here
// and say so in the commit. Budgets are upper bounds with a little slack over what was measured; GFLOP are ±3%.
namespace My3DGen.Personalization.Tests;

internal static class GpuBudgets
{
    // ---- work per 512² image (forward, no gradients), by stage ----
    /// <summary>Backbone (mapping excluded): 93.9 GFLOP measured (×2 up-convs as EG3D: stride-2 transposed 3×3 + FIR; 171.5 before).</summary>
    public const double BackboneGflop = 93.9;
    /// <summary>Super-resolution: 197.9 GFLOP measured (320.0 with the four sub-pixel parity kernels of 3×3⊗FIR).</summary>
    public const double SuperResolutionGflop = 197.9;
    /// <summary>Rendering (rays, fused tri-plane sampling + decoder, march, importance sampling): 14.7 GFLOP measured.</summary>
    public const double RenderGflop = 14.7;
    /// <summary>Relative tolerance on the GFLOP figures.</summary>
    public const double GflopTolerance = 0.03;

    // ---- the whole render stays on the device: per forward call (any batch, with or without gradients) ----
    /// <summary>Device→host copies in one forward (+ backward): the render kernels keep everything on the device (2 measured).</summary>
    public const long DownloadsPerForward = 3;
    /// <summary>Queue drains in one forward (+ backward): 2 measured (the camera check and the caller's read-back).</summary>
    public const long DrainsPerForward = 3;

    // ---- forward without gradients (per sample; the batch runs one sample at a time) ----
    public const long ForwardLaunchesPerImage = 460;
    public const double ForwardUploadMBPerImage = 1;
    public const double ForwardDownloadMBPerImage = 1;

    // ---- forward recording gradients w.r.t. ws + backward of the mean image (whole batch in one pass) ----
    public static long GradLaunches(int batch) => 1_260 + 240L * (batch - 1);
    public const double GradUploadMBPerImage = 1;
    public const double GradDownloadMBPerImage = 1;

    // ---- one personalization step (LoRA r=1 + decoder, MSE + LPIPS-alex, Adam), samples staged one by one ----
    // The fused render records its graph on the device (2,864 launches, 4 uploads of 0.03 MB, 1 download, 1 drain measured at
    // batch 1; 6,916 launches, 352 MB up, 184 MB down and 403 drains with the composed render and the host gradient sanitising).
    public const long TrainLaunchesPerSample = 3_000;
    public const double TrainUploadMBPerSample = 1;
    public const double TrainDownloadMBPerSample = 1;
    /// <summary>Device→host copies in one step at any batch: the loss parts, read once after the last backward (1 measured).</summary>
    public const long DownloadsPerTrainingStep = 1;
    /// <summary>Queue drains in one step at any batch: that read-back only (1 measured); none inside a forward or backward.</summary>
    public const long DrainsPerTrainingStep = 1;
}
