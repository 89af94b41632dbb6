// Recognises My3DGen's LoRA-wrapped G_ema (spec eg3d.md §10.2 and Appendix B) by the wrapper modules' class names,
// reads rank / lora_alpha / scaling from their pickled state, maps every wrapped state-dict name back to the plain
// EG3D name and splits the tensors into the base model and the LoRA factors, each factor checked against the layer it adapts.
using My3DGen.WeightsConverter.Pickle;
using My3DGen.WeightsConverter.Torch;

namespace My3DGen.WeightsConverter.Model;

/// <summary>The LoRA part of a My3DGen snapshot: settings and factors under plain names (e.g. backbone.synthesis.b4.conv1.lora_A).</summary>
internal sealed record My3DGenLora(int Rank, double Alpha, double Scaling, List<KeyValuePair<string, TorchTensor>> Factors);

internal static class My3DGenLoraSplitter
{
    // Wrapper class → the attribute that holds the wrapped module (the path component it inserts).
    static readonly Dictionary<string, string> WrappedChild = new(StringComparer.Ordinal)
    {
        ["LoraNet"] = "synthesis", ["SynthesisBlockWrapper"] = "synthesis_block", ["SynthesisLayerWrapper"] = "synthesis_layer",
        ["ToRGBLayerWrapper"] = "to_rgb_layer", ["FullyConnectedLayerWrapper"] = "fully_connected_layer",
        ["Conv2dLayerWrapper"] = "conv2d_layer", ["SuperresolutionHybrid8XDCWrapper"] = "superresolution_module",
    };
    // Wrappers that own lora_A / lora_B and the r / lora_alpha / scaling attributes.
    static readonly HashSet<string> LayerWrappers = new(StringComparer.Ordinal)
        { "SynthesisLayerWrapper", "ToRGBLayerWrapper", "FullyConnectedLayerWrapper", "Conv2dLayerWrapper" };
    // Other My3DGen wrappers: AdaLoRA (shipped broken, spec §10.3) and the experiments that are not LoRA.
    static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "AdaLoraNet", "AdaSynthesisBlockWrapper", "AdaSynthesisLayerWrapper", "AdaToRGBLayerWrapper", "AdaFullyConnectedLayerWrapper",
        "AdaConv2dLayerWrapper", "AdaSuperresolutionHybrid8XDCWrapper", "ControlNet", "FeatureNet",
    };

    sealed record Wrapper(string Path, string ClassName, PyDict State);

    /// <summary>Null when <paramref name="root"/> holds no My3DGen wrapper; otherwise renames <paramref name="tensors"/> in place to
    /// the plain EG3D names, removes the factors from it and returns them with the settings.</summary>
    /// <exception cref="WeightsFormatException">Unsupported wrappers, inconsistent settings or factors that do not fit their layer.</exception>
    public static My3DGenLora? Split(object? root, List<KeyValuePair<string, TorchTensor>> tensors, string file)
    {
        var wrappers = new List<Wrapper>();
        FindWrappers(root, "", wrappers, file, 0);
        if (wrappers.Count == 0) return null;
        // Deepest wrapped path first, so a shallower prefix is still intact when it is replaced.
        var rewrites = wrappers.Select(w => (From: Join(w.Path, WrappedChild[w.ClassName]), To: w.Path))
            .OrderByDescending(r => r.From.Length).ToList();
        string Plain(string name)
        {
            foreach (var (from, to) in rewrites)
                if (name.StartsWith(from + ".", StringComparison.Ordinal)) name = Join(to, name[(from.Length + 1)..]);
            return name;
        }
        var layers = wrappers.Where(w => LayerWrappers.Contains(w.ClassName)).ToList();
        var (rank, alpha, scaling) = Settings(layers, file);
        var plain = tensors.Select(t => new KeyValuePair<string, TorchTensor>(Plain(t.Key), t.Value)).ToList();
        var byName = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
        foreach (var (name, t) in plain)
            if (!byName.TryAdd(name, t)) throw new WeightsFormatException(file, $"two My3DGen tensors map to the same EG3D name '{name}'");
        var factors = new List<KeyValuePair<string, TorchTensor>>();
        foreach (var layer in layers.Where(l => l.ClassName != "Conv2dLayerWrapper"))
        {
            string at = Plain(layer.Path);
            var weight = byName.GetValueOrDefault(at + ".weight") ?? throw new WeightsFormatException(file, $"My3DGen wrapper '{layer.Path}' has no wrapped weight");
            foreach (var which in new[] { "lora_A", "lora_B" })
            {
                var t = byName.GetValueOrDefault(at + "." + which) ?? throw new WeightsFormatException(file, $"My3DGen wrapper '{layer.Path}' has no {which}");
                var expect = FactorShape(weight.Shape, rank, which == "lora_A");
                if (!t.Shape.SequenceEqual(expect))
                    throw new WeightsFormatException(file, $"'{at}.{which}' has shape [{string.Join(",", t.Shape)}], rank {rank} needs [{string.Join(",", expect)}]");
                factors.Add(new(at + "." + which, t));
            }
        }
        CheckCoverage(byName.Keys, factors.Select(f => f.Key).ToHashSet(StringComparer.Ordinal), file);
        var factorNames = factors.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var unowned = plain.FirstOrDefault(t => IsFactor(t.Key) && !factorNames.Contains(t.Key)).Key;
        if (unowned != null) throw new WeightsFormatException(file, $"LoRA tensor '{unowned}' belongs to no supported My3DGen wrapper");
        tensors.Clear();
        tensors.AddRange(plain.Where(t => !factorNames.Contains(t.Key)));
        return new My3DGenLora(rank, alpha, scaling, factors);
    }

    static bool IsFactor(string name) => name.EndsWith(".lora_A", StringComparison.Ordinal) || name.EndsWith(".lora_B", StringComparison.Ordinal);

    // Conv [O, I, k, k]: A [r·k, I·k·k], B [O, r·k]; FC [out, in]: A [r, in], B [out, r] (spec §10.3).
    static long[] FactorShape(long[] weight, int r, bool a) => weight.Length switch
    {
        4 => a ? [r * weight[2], weight[1] * weight[2] * weight[3]] : [weight[0], r * weight[2]],
        2 => a ? [r, weight[1]] : [weight[0], r],
        _ => [],
    };

    // Every modulated conv, ToRGB and style affine of the backbone and the super-resolution must carry factors: that is
    // what My3DGen wraps and what our adapter format holds.
    static void CheckCoverage(IEnumerable<string> names, HashSet<string> factors, string file)
    {
        foreach (var name in names)
        {
            if (!name.StartsWith("backbone.synthesis.", StringComparison.Ordinal) && !name.StartsWith("superresolution.", StringComparison.Ordinal)) continue;
            if (!(name.EndsWith(".conv0.weight") || name.EndsWith(".conv1.weight") || name.EndsWith(".torgb.weight") || name.EndsWith(".affine.weight"))) continue;
            string layer = name[..^".weight".Length];
            if (!factors.Contains(layer + ".lora_A"))
                throw new WeightsFormatException(file, $"My3DGen snapshot: layer '{layer}' is not LoRA-wrapped (every conv, ToRGB and affine of the backbone and super-resolution must be)");
        }
    }

    static (int Rank, double Alpha, double Scaling) Settings(List<Wrapper> layers, string file)
    {
        if (layers.Count == 0) throw new WeightsFormatException(file, "My3DGen snapshot has wrappers but no LoRA layer wrapper");
        (int, double, double)? first = null;
        foreach (var l in layers)
        {
            long r = Int(l, "r", file);
            double alpha = Number(l, "lora_alpha", file);
            if (r < 1 || r > 4096) throw new WeightsFormatException(file, $"My3DGen wrapper '{l.Path}': LoRA rank r = {r} is not supported (needs 1..4096)");
            if (!(alpha > 0) || !double.IsFinite(alpha)) throw new WeightsFormatException(file, $"My3DGen wrapper '{l.Path}': lora_alpha {alpha} must be positive");
            double scaling = Number(l, "scaling", file);
            if (Math.Abs(scaling - alpha / r) > 1e-6 * Math.Max(1, Math.Abs(alpha / r)))
                throw new WeightsFormatException(file, $"My3DGen wrapper '{l.Path}': scaling {scaling} is not lora_alpha / r = {alpha / r}");
            var here = ((int)r, alpha, scaling);
            first ??= here;
            if (first.Value.Item1 != here.Item1 || first.Value.Item2 != here.Item2)
                throw new WeightsFormatException(file, $"My3DGen wrapper '{l.Path}' has r = {r}, lora_alpha = {alpha}; others have r = {first.Value.Item1}, lora_alpha = {first.Value.Item2}");
        }
        return first!.Value;
    }

    static long Int(Wrapper w, string key, string file) =>
        PyInt.TryGet(w.State.Get(key), out long v) ? v : throw new WeightsFormatException(file, $"My3DGen wrapper '{w.Path}' ({w.ClassName}) has no integer '{key}'");

    static double Number(Wrapper w, string key, string file) => w.State.Get(key) switch
    {
        double d => d,
        NumpyScalar s => s.Value,
        var o when PyInt.TryGet(o, out long l) => l,
        _ => throw new WeightsFormatException(file, $"My3DGen wrapper '{w.Path}' ({w.ClassName}) has no number '{key}'"),
    };

    static void FindWrappers(object? node, string path, List<Wrapper> found, string file, int depth)
    {
        if (depth > 64) throw new WeightsFormatException(file, "module tree is nested deeper than 64 levels");
        var (cls, state) = node switch
        {
            PersistentObject p => (p.ClassName, p.State),
            PyObject { State: PyDict d } o => (o.Class.Name, d),
            _ => (null, null),
        };
        if (state == null || state.Get("_modules") is not PyDict modules) return;
        if (cls != null && Unsupported.Contains(cls))
            throw new WeightsFormatException(file, $"My3DGen snapshot uses '{cls}' at '{path}': only the LoRA path (--lora r with --adalora False) is supported");
        if (cls != null && WrappedChild.ContainsKey(cls)) found.Add(new Wrapper(path, cls, state));
        foreach (var (k, child) in modules.Entries)
            if (k is string name) FindWrappers(child, Join(path, name), found, file, depth + 1);
    }

    static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
