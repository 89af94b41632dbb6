// The projector's inputs, results and progress reports: a target photo with its camera, the projected latent with its
// final image and metrics, and the per-step progress (image counts, step, LPIPS now, rate and ETA).
namespace My3DGen.Personalization.Projection;

/// <summary>A photo to project.</summary>
/// <param name="Name">Identifier (the image file name without extension); also keys the photo's random stream.</param>
/// <param name="Image">3·R·R floats, CHW, in [−1, 1], R = the model's image resolution.</param>
/// <param name="Camera">The photo's 25-float EG3D camera label (rendering camera).</param>
public sealed record ProjectionTarget(string Name, float[] Image, float[] Camera);

/// <summary>The outcome of projecting one photo.</summary>
/// <param name="Name">The target's name.</param>
/// <param name="Latent">The anchor ws, num_ws·w_dim floats ([14,512]; a W result is w repeated).</param>
/// <param name="Projection">The final render (CHW floats, ≈[−1,1]) of the latent from the photo's camera with the final noise maps.</param>
/// <param name="Lpips">Final LPIPS-VGG-256 distance to the photo.</param>
/// <param name="Mse">Final mean squared error to the photo on the [−1,1] scale at full resolution.</param>
/// <param name="Psnr">10·log10(2² / MSE) dB (peak-to-peak range 2 of [−1,1]).</param>
/// <param name="StartMse">MSE of the w̄ start (step 0's render without W noise) to the photo.</param>
public sealed record ProjectionResult(string Name, float[] Latent, float[] Projection, float Lpips, float Mse, float Psnr, float StartMse);

/// <summary>Progress after one optimisation step of one batch.</summary>
/// <param name="ImagesDone">Photos finished before this batch.</param>
/// <param name="ImageCount">Photos in the run.</param>
/// <param name="Step">Steps of the current batch completed (1-based).</param>
/// <param name="Steps">Steps per photo (T).</param>
/// <param name="Batch">Names of the photos in the current batch.</param>
/// <param name="Lpips">Mean LPIPS-VGG-256 of the batch at this step.</param>
/// <param name="Loss">Mean total loss (LPIPS + weighted noise regulariser) of the batch at this step.</param>
/// <param name="ImageStepsPerSecond">Photo-steps per second so far.</param>
/// <param name="Eta">Estimated time until every photo is projected.</param>
public sealed record ProjectionProgress(int ImagesDone, int ImageCount, int Step, int Steps, IReadOnlyList<string> Batch, float Lpips, float Loss,
    double ImageStepsPerSecond, TimeSpan Eta);
