// The projector's learning-rate schedule (StyleGAN2/EG3D projector): linear ramp-up over the first 5 % of the run,
// flat, then a cosine ramp-down over the last 25 %; lr is 0 at step 0 and the schedule overwrites Adam's lr every step.
namespace My3DGen.Personalization.Projection;

/// <summary>lr(step) = lr0 · min(1, t/0.05) · (½ − ½·cos(π·min(1, (1 − t)/0.25))), t = step / T.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate at 0-based <paramref name="step"/> of a <paramref name="steps"/>-step run with peak <paramref name="peak"/>
    /// (computed in double like the Python reference, then rounded to float).</summary>
    public static float At(int step, int steps, float peak)
    {
        double t = (double)step / steps;
        double ramp = Math.Min(1.0, (1.0 - t) / ProjectionOptions.LrRampDownLength);
        ramp = 0.5 - 0.5 * Math.Cos(ramp * Math.PI);
        ramp *= Math.Min(1.0, t / ProjectionOptions.LrRampUpLength);
        return (float)(peak * ramp);
    }

    /// <summary>Scale of the annealed W noise at <paramref name="step"/>: σ_w·factor·max(0, 1 − t/0.75)².</summary>
    public static float WNoiseScale(int step, int steps, float wStd, float factor)
    {
        double t = (double)step / steps;
        double r = Math.Max(0.0, 1.0 - t / ProjectionOptions.NoiseRampLength);
        return (float)(wStd * factor * r * r);
    }
}
