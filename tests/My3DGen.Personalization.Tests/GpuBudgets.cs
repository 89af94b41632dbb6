// THE place for the full-size GPU budgets (ffhq512-128, 512² images), measured with the counting backend. When a change
// moves a number (e.g. EG3D's transposed up-conv + FIR cuts the super-resolution and backbone GFLOP), update it here
// and say so in the commit. Budgets are upper bounds with a little slack over what was measured; GFLOP are ±3%.
namespace My3DGen.Personalization.Tests;

internal static class GpuBudgets
{
    // ---- work per 512² image (forward, no gradients), by stage ----
    /// <summary>Backbone (mapping excluded): 171.5 GFLOP measured.</summary>
    public const double BackboneGflop = 171.5;
    /// <summary>Super-resolution: 320.0 GFLOP measured (the ×2 up-convs as four parity kernels of 3×3⊗FIR).</summary>
    public const double SuperResolutionGflop = 320.0;
    /// <summary>Rendering (ray sampling, tri-plane sampling, decoder, marching): 15.5 GFLOP measured.</summary>
    public const double RenderGflop = 15.5;
    /// <summary>Relative tolerance on the GFLOP figures.</summary>
    public const double GflopTolerance = 0.03;

    // ---- forward without gradients (per sample; the batch runs one sample at a time) ----
    public const long ForwardLaunchesPerImage = 1_200;
    public const double ForwardUploadMBPerImage = 177;
    public const double ForwardDownloadMBPerImage = 92;
    public const long ForwardDrainsPerImage = 60;

    // ---- forward recording gradients w.r.t. ws + backward of the mean image (whole batch in one pass) ----
    public static long GradLaunches(int batch) => 2_400 + 90L * (batch - 1);
    public const double GradUploadMBPerImage = 177;
    public const double GradDownloadMBPerImage = 92;
    public const long GradDrains = 60;

    // ---- one personalization step (LoRA r=1 + decoder, MSE + LPIPS-alex, Adam), samples staged one by one ----
    public const long TrainLaunchesPerSample = 7_100;
    public const double TrainUploadMBPerSample = 355;
    public const double TrainDownloadMBPerSample = 185;
    public static long TrainDrains(int batch) => 140 + 270L * batch;
}
