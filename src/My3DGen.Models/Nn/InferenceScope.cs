// Releases a layer's intermediate tensors as soon as the layer returns, but only when no autograd graph is being
// recorded (a recorded graph needs its intermediates for the backward pass).
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Nn;

internal static class InferenceScope
{
    /// <summary>Runs <paramref name="body"/>; under NoGrad every tensor it creates except the result is disposed.
    /// The body must return a tensor it created (not one of its inputs).</summary>
    public static Tensor Run(Func<Tensor> body)
    {
        if (GradMode.IsEnabled) return body();
        using var scope = TensorScope.Begin();
        return scope.Keep(body());
    }

    /// <summary>As <see cref="Run"/> for bodies returning several fresh tensors.</summary>
    public static Tensor[] RunMany(Func<Tensor[]> body)
    {
        if (GradMode.IsEnabled) return body();
        using var scope = TensorScope.Begin();
        var r = body();
        foreach (var t in r.Distinct()) scope.Keep(t);
        return r;
    }
}
