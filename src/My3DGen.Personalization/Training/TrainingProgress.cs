// The per-step report a personalization run sends through IProgress<TrainingProgress>.
namespace My3DGen.Personalization.Training;

/// <summary>Progress of one completed step: losses of its batch (MSE and LPIPS at the raw and the final resolution),
/// the running rate and the estimated time left.</summary>
/// <param name="Step">Steps completed (1-based).</param>
/// <param name="TotalSteps">The run's <see cref="PersonalizeOptions.Steps"/>.</param>
/// <param name="Loss">Total loss of the step (sum of the four parts).</param>
/// <param name="Mse128">MSE of the raw (neural-resolution) image.</param>
/// <param name="Mse512">MSE of the final image.</param>
/// <param name="Lpips128">LPIPS of the raw image.</param>
/// <param name="Lpips512">LPIPS of the final image.</param>
/// <param name="StepsPerSecond">Steps per second since the run (or resume) started.</param>
/// <param name="Eta">Estimated time until <paramref name="TotalSteps"/>.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, float Loss, float Mse128, float Mse512, float Lpips128, float Lpips512,
    double StepsPerSecond, TimeSpan Eta);
