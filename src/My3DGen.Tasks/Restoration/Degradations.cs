// The degradation operators D of MyStyle's α⁺ projection (spec algorithms.md §3.2): identity (plain inversion), a hole
// mask (x ⊙ m, m = 1 on known pixels) and area downsampling (adaptive average pooling, F.interpolate mode='area'). Each
// is applied to the render inside the loss, so gradients flow through it, and once to a full-resolution target.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;

namespace My3DGen.Tasks.Restoration;

/// <summary>A differentiable degradation D applied to renders [N,3,R,R] in [−1,1] before the reconstruction loss.</summary>
public interface IDegradation
{
    /// <summary>A short description for reports ("identity", "hole mask (12.5% hidden)", "area downsample 128² → 32²").</summary>
    string Name { get; }

    /// <summary>Side of D's output for a square input of side <paramref name="resolution"/>.</summary>
    int OutputSide(int resolution);

    /// <summary>D(x) for x [N,3,R,R] (with autograd when x requires grad).</summary>
    Tensor Apply(Tensor x);
}

/// <summary>D(x) = x: plain α / α⁺ inversion.</summary>
public sealed class IdentityDegradation : IDegradation
{
    /// <summary>The shared instance.</summary>
    public static IdentityDegradation Instance { get; } = new();
    /// <inheritdoc/>
    public string Name => "identity";
    /// <inheritdoc/>
    public int OutputSide(int resolution) => resolution;
    /// <inheritdoc/>
    public Tensor Apply(Tensor x) => x;
}

/// <summary>D(x) = x ⊙ m with m = 1 on known pixels and 0 in the hole (inpainting).</summary>
public sealed class MaskDegradation : IDegradation
{
    readonly HoleMask _mask;
    readonly float[] _known;

    /// <summary>Masks out the hole of <paramref name="mask"/>.</summary>
    public MaskDegradation(HoleMask mask)
    {
        _mask = mask;
        _known = mask.Hole.Select(h => h ? 0f : 1f).ToArray();
    }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"hole mask ({100.0 * _mask.HoleFraction:0.#}% hidden)");
    /// <inheritdoc/>
    public int OutputSide(int resolution) => resolution;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">x is not [N,C,S,S] with S the mask's side.</exception>
    public Tensor Apply(Tensor x)
    {
        if (x.Rank != 4 || x.Shape[2] != _mask.Side || x.Shape[3] != _mask.Side)
            throw new ArgumentException($"the mask is {_mask.Side}x{_mask.Side}, the image [{string.Join(",", x.Shape)}]", nameof(x));
        return x * Tensor.FromArray(x.Backend, _known, 1, 1, _mask.Side, _mask.Side);
    }
}

/// <summary>D(x) = area-downsample(x) to <see cref="Side"/>² (super-resolution; the loss is computed at low resolution).</summary>
public sealed class AreaDownsampleDegradation : IDegradation
{
    /// <summary>Side of the low-resolution image.</summary>
    public int Side { get; }

    /// <summary>Downsamples to <paramref name="side"/>² (any side; non-integer factors average overlapping windows as PyTorch does).</summary>
    /// <exception cref="ArgumentOutOfRangeException">side ≤ 0.</exception>
    public AreaDownsampleDegradation(int side)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        Side = side;
    }

    /// <summary>MyStyle's scale factor f in (0,1) (a value above 1 is read as 1/f): the side is floor(R·f).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The factor is not finite, equals 1, or leaves less than one pixel.</exception>
    public static AreaDownsampleDegradation FromFactor(double factor, int resolution)
    {
        if (!double.IsFinite(factor) || factor <= 0 || factor == 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "must be a positive factor other than 1");
        if (factor > 1) factor = 1 / factor;
        return new AreaDownsampleDegradation((int)Math.Floor(resolution * factor + 1e-9));
    }

    /// <inheritdoc/>
    public string Name => $"area downsample to {Side}x{Side}";
    /// <inheritdoc/>
    public int OutputSide(int resolution) => Side;
    /// <inheritdoc/>
    public Tensor Apply(Tensor x) => x.Shape[2] == Side && x.Shape[3] == Side ? x : Resampling.ResizeArea(x, Side, Side);
}
