// w̄ and σ_w of the projector (spec §1.2 step 1): N z's from numpy RandomState(123).randn(N, 512) (cast to float32), mapped
// with the camera the mapping is conditioned on; ws[:, 0] gives w̄ = mean and the scalar σ_w = sqrt(Σ‖w − w̄‖² / N).
// This is not the stored mapping.w_avg.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Latents;

namespace My3DGen.Personalization.Projection;

/// <summary>The mean w and the scalar spread of W under one conditioning camera.</summary>
/// <param name="Mean">w̄, w_dim floats.</param>
/// <param name="Std">σ_w = sqrt(Σ_i ‖w_i − w̄‖² / N).</param>
public sealed record WStatistics(float[] Mean, float Std)
{
    /// <summary>Maps <paramref name="samples"/> z's of numpy RandomState(123) conditioned on <paramref name="camera"/> (25 floats)
    /// and returns w̄ and σ_w (accumulated in double).</summary>
    public static WStatistics Compute(Eg3dGenerator generator, float[] camera, int samples)
    {
        CameraLabel.Validate(camera, nameof(camera));
        int zDim = generator.Config.ZDim, wDim = generator.Config.WDim;
        var z = new NumpyRandomState(ProjectionOptions.WStatisticsSeed).Randn(samples * zDim);
        var c = new float[samples * CameraLabel.Length];
        for (int i = 0; i < samples; i++) camera.CopyTo(c, i * CameraLabel.Length);
        float[] ws;
        using (GradMode.NoGrad())
        using (var scope = TensorScope.Begin())
        {
            var be = generator.Backend;
            var all = generator.Mapping(Tensor.FromArray(be, z, samples, zDim), Tensor.FromArray(be, c, samples, CameraLabel.Length));
            ws = all.Slice(1, 0, 1).ToArray();   // [N, 1, w_dim]
        }
        var mean = new double[wDim];
        for (int i = 0; i < samples; i++)
            for (int k = 0; k < wDim; k++) mean[k] += ws[i * wDim + k];
        for (int k = 0; k < wDim; k++) mean[k] /= samples;
        double sq = 0;
        for (int i = 0; i < samples; i++)
            for (int k = 0; k < wDim; k++) { double d = ws[i * wDim + k] - mean[k]; sq += d * d; }
        return new WStatistics(mean.Select(v => (float)v).ToArray(), (float)Math.Sqrt(sq / samples));
    }

    /// <summary>The frontal camera EG3D-projector conditions on: look-at yaw = pitch = 0 (π/2 in EG3D's angles) at the model's
    /// avg_camera_radius and avg_camera_pivot, normalised focal 4.2647.</summary>
    public static float[] FrontalCamera(Eg3dGenerator generator) =>
        CameraLabel.Create(0f, 0f, generator.Config.Rendering.AvgCameraRadius, generator.Config.Rendering.AvgCameraPivot, CameraLabel.FfhqFocal);
}
