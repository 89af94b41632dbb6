// Counting backend: the modulated-conv kernel family, counted launch by launch from the same ModConvLaunchPlan the
// ILGPU backend runs (tiled implicit GEMMs cut at grid Y/Z 65,535, grid-stride and per-row kernels, the temporaries it
// allocates); per-sample spans beyond int32 are recorded as violations instead of thrown.
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Counting;

public sealed partial class CountingBackend
{
    /// <inheritdoc/>
    public void ModConvForward(in ModConvGeometry g, Storage x, Storage styles, Storage weight, ModConvLora? lora,
        ModConvEpilogueInputs? epilogue, Storage? raw, Storage? y)
    {
        g.Validate();
        if (raw == null && y == null) throw new ArgumentException("modulated conv forward: neither raw nor y is given", nameof(raw));
        if (y != null && !g.EpilogueFusable) throw new ArgumentException("modulated conv forward: the epilogue fuses only into plain (Up = 1) layers", nameof(y));
        var e = epilogue ?? new ModConvEpilogueInputs(null, null, null, null);
        ModConvEpilogueParams? ep = y == null ? null : ModConvEpilogueParams.Of(g, e.Demod != null, g.HasBias, g.Noise != ModConvNoise.None && e.Strength != null);
        var geo = g; bool writeRaw = raw != null;
        Count(nameof(ModConvForward), () => ModConvLaunchPlan.Forward(geo, writeRaw, ep, DeviceLimits.MaxGridYZ));
    }

    /// <inheritdoc/>
    public void ModConvEpilogue(in ModConvGeometry g, Storage r, ModConvEpilogueInputs epilogue, Storage y)
    {
        g.Validate();
        Count(nameof(ModConvEpilogue), ModConvLaunchPlan.Epilogue(g));
    }

    /// <inheritdoc/>
    public void ModConvEpilogueBackward(in ModConvGeometry g, Storage gy, Storage r, ModConvEpilogueInputs epilogue, Storage gr,
        Storage gDemod, Storage gBiasRows, Storage gStrengthRows)
    {
        g.Validate();
        Count(nameof(ModConvEpilogueBackward), ModConvLaunchPlan.EpilogueBackward(g));
    }

    /// <inheritdoc/>
    public void ModConvBackwardData(in ModConvGeometry g, Storage graw, Storage weight, ModConvLora? lora, Storage gxs)
    {
        g.Validate();
        var gu = g.Rank > 0 ? Allocate(g.HiddenLength) : null;
        var geo = g;
        try { Count(nameof(ModConvBackwardData), () => ModConvLaunchPlan.BackwardData(geo, DeviceLimits.MaxGridYZ)); }
        finally { gu?.Release(); }
    }

    /// <inheritdoc/>
    public void ModConvBackwardWeights(in ModConvGeometry g, Storage graw, Storage x, Storage styles, ModConvLora? lora,
        Storage? gWeight, Storage? gA, Storage? gB)
    {
        g.Validate();
        bool wantA = gA != null && g.Rank > 0, wantB = gB != null && g.Rank > 0;
        long partialLength = 0;
        List<ModConvLaunch>? launches = null;
        try { launches = ModConvLaunchPlan.BackwardWeights(g, gWeight != null, wantA, wantB, Multiprocessors * 8, 0, DeviceLimits.MaxGridYZ, out partialLength); }
        catch (NotSupportedException ex) { lock (_gate) _violations.Add($"{nameof(ModConvBackwardWeights)}: {ex.Message}"); return; }
        // The same temporaries as IlgpuBackend: gu, the split-K partials and the per-sample gB rows.
        var temps = new[] { wantA ? g.HiddenLength : 0, partialLength, wantB ? (long)g.N * g.O * g.Rank : 0 }
            .Where(n => n > 0).Select(Allocate).ToList();
        try { Count(nameof(ModConvBackwardWeights), launches); }
        finally { foreach (var t in temps) t.Release(); }
    }

    void Count(string op, Func<List<ModConvLaunch>> plan)
    {
        List<ModConvLaunch> launches;
        try { launches = plan(); }
        catch (NotSupportedException ex) { lock (_gate) _violations.Add($"{op}: {ex.Message}"); return; }
        Count(op, launches);
    }

    void Count(string op, IEnumerable<ModConvLaunch> launches)
    {
        foreach (var l in launches) Count(op, l);
    }

    /// <summary>One launch as IlgpuBackend.ModConv configures it on a GPU.</summary>
    void Count(string op, in ModConvLaunch l)
    {
        Flops(op, l.Flops);
        if (l.Tiled) Launch(op, l.Grid.X, l.Grid.Y, l.Grid.Z, l.IndexRange);
        else if (l.PerRow) Launch(op, ModConvLaunchPlan.RowGrid(l.Items, DeviceLimits.MaxGridYZ), 1, 1, l.IndexRange);
        else Linear(op, l.Items);
    }
}
