// Generates synthetic EG3D training snapshots (G, D, G_ema) with the released ffhq512-128 tensor
// shapes (optionally with fewer channels), in the same pickle style as training_loop.py: persistent
// objects, OrderedDicts, numpy scalars and one legacy torch blob per tensor. For tests and benchmarks.
using System.Buffers.Binary;

namespace My3DGen.WeightsConverter.Testing;

/// <summary>One state_dict entry of the synthetic generator.</summary>
internal sealed record SyntheticTensor(string Name, int[] Shape, bool IsBuffer)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>Writer for synthetic EG3D-shaped pickles.</summary>
internal static class SyntheticEg3d
{
    /// <summary>The G_ema state_dict of the ffhq512-128 configuration in PyTorch order (spec appendix A),
    /// with every channel count divided by <paramref name="channelDivisor"/>.</summary>
    public static List<SyntheticTensor> GeneratorKeys(int channelDivisor = 1)
    {
        int Ch(int res) => Math.Min(32768 / res, 512) / channelDivisor;
        var k = new List<SyntheticTensor> { new("dataset_label_std", new[] { 25 }, true) };
        void Layer(string p, int cin, int cout, int res, bool noise)
        {
            k.Add(new($"{p}.weight", new[] { cout, cin, 3, 3 }, false));
            k.Add(new($"{p}.noise_strength", Array.Empty<int>(), false));
            k.Add(new($"{p}.bias", new[] { cout }, false));
            k.Add(new($"{p}.resample_filter", new[] { 4, 4 }, true));
            if (noise) k.Add(new($"{p}.noise_const", new[] { res, res }, true));
            k.Add(new($"{p}.affine.weight", new[] { cin, 512 }, false));
            k.Add(new($"{p}.affine.bias", new[] { cin }, false));
        }
        void ToRgb(string p, int cin, int cout)
        {
            k.Add(new($"{p}.weight", new[] { cout, cin, 1, 1 }, false));
            k.Add(new($"{p}.bias", new[] { cout }, false));
            k.Add(new($"{p}.affine.weight", new[] { cin, 512 }, false));
            k.Add(new($"{p}.affine.bias", new[] { cin }, false));
        }
        for (int res = 4; res <= 256; res *= 2)
        {
            string b = $"backbone.synthesis.b{res}";
            int c = Ch(res);
            if (res == 4) k.Add(new($"{b}.const", new[] { c, 4, 4 }, false));
            k.Add(new($"{b}.resample_filter", new[] { 4, 4 }, true));
            if (res > 4) Layer($"{b}.conv0", Ch(res / 2), c, res, true);
            Layer($"{b}.conv1", c, c, res, true);
            ToRgb($"{b}.torgb", c, 96);
        }
        k.Add(new("backbone.mapping.w_avg", new[] { 512 }, true));
        foreach (var (n, o, i) in new[] { ("embed", 512, 25), ("fc0", 512, 1024), ("fc1", 512, 512) })
        {
            k.Add(new($"backbone.mapping.{n}.weight", new[] { o, i }, false));
            k.Add(new($"backbone.mapping.{n}.bias", new[] { o }, false));
        }
        int s0 = 256 / channelDivisor, s1 = 128 / channelDivisor;
        foreach (var (blk, cin, cout, res) in new[] { ("block0", 32, s0, 256), ("block1", s0, s1, 512) })
        {
            string b = $"superresolution.{blk}";
            k.Add(new($"{b}.resample_filter", new[] { 4, 4 }, true));
            Layer($"{b}.conv0", cin, cout, res, true);
            Layer($"{b}.conv1", cout, cout, res, true);
            ToRgb($"{b}.torgb", cout, 3);
        }
        k.Add(new("decoder.net.0.weight", new[] { 64, 32 }, false));
        k.Add(new("decoder.net.0.bias", new[] { 64 }, false));
        k.Add(new("decoder.net.2.weight", new[] { 33, 64 }, false));
        k.Add(new("decoder.net.2.bias", new[] { 33 }, false));
        return k;
    }

    /// <summary>The value of element <paramref name="i"/> of tensor <paramref name="tensor"/> of network <paramref name="net"/> (0 = G, 1 = D, 2 = G_ema).</summary>
    public static float Value(int net, int tensor, long i)
    {
        ulong x = (ulong)i * 0x9E3779B97F4A7C15UL ^ ((ulong)(net * 1000 + tensor + 1) * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 31; x *= 0x94D049BB133111EBUL; x ^= x >> 29;
        return (int)(x & 0xFFFFFF) / 16777216f - 0.5f;
    }

    /// <summary>Writes a snapshot dict {training_set_kwargs, G, D, G_ema, augment_pipe} to <paramref name="path"/>.
    /// D reuses the generator's shapes (with its own values) so the file is about three networks large.
    /// <paramref name="maxElements"/> drops larger tensors (small fuzzing corpora).</summary>
    public static long Write(string path, int channelDivisor = 1, long maxElements = long.MaxValue)
    {
        var keys = GeneratorKeys(channelDivisor).Where(k => k.ElementCount <= maxElements).ToList();
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var p = new PickleWriter(fs);
        p.Proto(4).EmptyDict().Mark();
        p.Str("training_set_kwargs").EmptyDict().Mark().Str("resolution").Int(512).Str("use_labels").Bool(true).SetItems();
        string[] nets = { "G", "D", "G_ema" };
        for (int n = 0; n < 3; n++)
        {
            p.Str(nets[n]);
            WriteModule(p, "", n == 1 ? "DualDiscriminator" : "TriPlaneGenerator", BuildTree(keys), n, keys, isRoot: true);
        }
        p.Str("augment_pipe").None().SetItems().Stop();
        return fs.Length;
    }

    sealed class Node
    {
        public readonly List<(int Index, string Leaf)> Tensors = new();
        public readonly List<(string Name, Node Child)> Children = new();
    }

    static Node BuildTree(List<SyntheticTensor> keys)
    {
        var root = new Node();
        for (int i = 0; i < keys.Count; i++)
        {
            var parts = keys[i].Name.Split('.');
            var node = root;
            for (int d = 0; d < parts.Length - 1; d++)
            {
                var found = node.Children.FirstOrDefault(c => c.Name == parts[d]).Child;
                if (found == null) { found = new Node(); node.Children.Add((parts[d], found)); }
                node = found;
            }
            node.Tensors.Add((i, parts[^1]));
        }
        return root;
    }

    static void WriteModule(PickleWriter p, string name, string className, Node node, int net, List<SyntheticTensor> keys, bool isRoot = false)
    {
        p.StackGlobal("torch_utils.persistence", "_reconstruct_persistent_obj");
        p.EmptyDict().Mark().Str("type").Str("class").Str("version").Int(6)
            .Str("module_src").Str("# module source omitted (synthetic)\n").Str("class_name").Str(className).Str("state");
        p.EmptyDict().Mark().Str("training").Bool(false);
        foreach (var buffers in new[] { false, true })
        {
            p.Str(buffers ? "_buffers" : "_parameters");
            OrderedDict(p);
            var items = node.Tensors.Where(t => keys[t.Index].IsBuffer == buffers).ToList();
            if (items.Count > 0)
            {
                p.Mark();
                foreach (var (index, leaf) in items) { p.Str(leaf); WriteTensor(p, keys[index], net, index, !buffers); }
                p.SetItems();
            }
        }
        p.Str("_non_persistent_buffers_set").EmptySet();
        p.Str("_modules");
        OrderedDict(p);
        if (node.Children.Count > 0)
        {
            p.Mark();
            foreach (var (childName, child) in node.Children)
            {
                p.Str(childName);
                WriteModule(p, childName, ClassFor(childName), child, net, keys);
            }
            p.SetItems();
        }
        p.Str("_init_args").EmptyTuple().Str("_init_kwargs");
        p.StackGlobal("dnnlib.util", "EasyDict").EmptyTuple().NewObj().Mark().Str("w_dim").Int(512).SetItems();
        p.Str("weight_gain");
        NumpyF8(p, 1.0 / Math.Sqrt(512));
        if (isRoot)
        {
            p.Str("rendering_kwargs").EmptyDict().Mark().Str("depth_resolution").Int(48).Str("ray_start").Float(2.25)
                .Str("avg_camera_pivot").EmptyList().Mark().Int(0).Int(0).Float(0.2).Appends().SetItems();
            p.Str("neural_rendering_resolution").Int(128);
        }
        p.SetItems(); // state
        p.SetItems().Op(0x85).Reduce(); // meta dict -> TUPLE1 -> REDUCE
    }

    static string ClassFor(string name) => name switch
    {
        "backbone" => "Generator", "synthesis" => "SynthesisNetwork", "mapping" => "MappingNetwork",
        "torgb" => "ToRGBLayer", "superresolution" => "SuperresolutionHybrid8XDC",
        _ when name.StartsWith("conv") => "SynthesisLayer",
        _ when name.StartsWith('b') => "SynthesisBlock",
        _ => "FullyConnectedLayer",
    };

    static void OrderedDict(PickleWriter p) => p.StackGlobal("collections", "OrderedDict").EmptyTuple().Reduce();

    static void NumpyF8(PickleWriter p, double v)
    {
        p.StackGlobal("numpy.core.multiarray", "scalar");
        p.StackGlobal("numpy", "dtype").Str("f8").Bool(false).Bool(true).Op(0x87).Reduce();
        p.Mark().Int(3).Str("<").None().None().None().Int(-1).Int(-1).Int(0).Tuple().Build();
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
        p.Bytes(b).Op(0x86).Reduce();
    }

    static void WriteTensor(PickleWriter p, SyntheticTensor t, int net, int index, bool parameter)
    {
        if (parameter) p.StackGlobal("torch._utils", "_rebuild_parameter");
        p.StackGlobal("torch._utils", "_rebuild_tensor_v2").Mark();
        p.StackGlobal("torch.storage", "_load_from_bytes");
        long numel = t.ElementCount;
        var header = LegacyTorchBlob.Header(numel, $"{94000000000000L + net * 1000 + index}");
        p.BytesHeader(header.Length + 8 + numel * 4).Raw(header).Raw(LegacyTorchBlob.Count(numel));
        WriteValues(p.Stream, net, index, numel);
        p.Op(0x85).Reduce();
        p.Int(0).Mark();
        foreach (var d in t.Shape) p.Int(d);
        p.Tuple().Mark();
        long stride = numel;
        foreach (var d in t.Shape) { stride = d == 0 ? stride : stride / d; p.Int(stride); }
        p.Tuple().Bool(false);
        OrderedDict(p);
        p.Tuple().Reduce();
        if (parameter) { p.Bool(false); OrderedDict(p); p.Op(0x87).Reduce(); }
    }

    static void WriteValues(Stream s, int net, int index, long numel)
    {
        var buf = new byte[1 << 16];
        for (long i = 0; i < numel;)
        {
            int n = (int)Math.Min(buf.Length / 4, numel - i);
            for (int j = 0; j < n; j++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(j * 4), Value(net, index, i + j));
            s.Write(buf, 0, n * 4);
            i += n;
        }
    }
}
