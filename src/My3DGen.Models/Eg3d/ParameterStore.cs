// The named tensors of a generator (EG3D state-dict names): filled from a safetensors file or randomly,
// each fetched once by name with its expected shape, so a wrong file fails with the file and tensor named.
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Eg3d;

/// <summary>How a random generator initialises one tensor (EG3D's constructor rules).</summary>
internal enum ParameterInit { Normal, Zeros, Ones, ResampleFilter }

/// <summary>Supplies the generator's tensors by state-dict name and records them in order.</summary>
internal abstract class ParameterStore
{
    readonly Dictionary<string, Tensor> _tensors = new();
    readonly List<string> _order = new();

    protected ParameterStore(IBackend backend, string source) { Backend = backend; Source = source; }

    public IBackend Backend { get; }
    /// <summary>The file path, or a description for in-process generators.</summary>
    public string Source { get; }
    /// <summary>Every tensor fetched so far, in fetch order (EG3D state-dict order when the modules are built in that order).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> All => _order.Select(n => KeyValuePair.Create(n, _tensors[n])).ToList();

    /// <summary>Returns tensor <paramref name="name"/> with exactly <paramref name="shape"/>; <paramref name="init"/> and <paramref name="scale"/> are used only by random stores.</summary>
    public Tensor Get(string name, int[] shape, ParameterInit init = ParameterInit.Normal, float scale = 1f)
    {
        if (_tensors.TryGetValue(name, out var t)) return t;
        var data = Produce(name, shape, init, scale);
        t = Tensor.FromArray(Backend, data, shape);
        t.Name = name;
        _tensors[name] = t;
        _order.Add(name);
        return t;
    }

    protected abstract float[] Produce(string name, int[] shape, ParameterInit init, float scale);

    /// <summary>EG3D's setup_filter([1,3,3,1]): the 4×4 outer product normalised to sum 1.</summary>
    internal static float[] ResampleFilter()
    {
        float[] f = [1, 3, 3, 1];
        var r = new float[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) r[i * 4 + j] = f[i] * f[j] / 64f;
        return r;
    }
}

/// <summary>Reads tensors from a converted safetensors file, checking names and shapes.</summary>
internal sealed class SafeTensorsParameterStore(SafeTensorsFile file, IBackend backend) : ParameterStore(backend, file.Path)
{
    protected override float[] Produce(string name, int[] shape, ParameterInit init, float scale)
    {
        if (!file.Contains(name)) throw new MissingTensorException(file.Path, name);
        var info = file.Info(name);
        if (!info.Shape.SequenceEqual(shape)) throw new TensorShapeException(file.Path, name, shape, info.Shape);
        return file.ReadFloat32(name);
    }
}

/// <summary>Seeded random tensors following EG3D's initialisation (N(0,1)·scale weights, constant biases).</summary>
internal sealed class RandomParameterStore(int seed, IBackend backend) : ParameterStore(backend, $"(random seed {seed})")
{
    readonly Random _rng = new(seed);

    protected override float[] Produce(string name, int[] shape, ParameterInit init, float scale)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var d = new float[n];
        switch (init)
        {
            case ParameterInit.Zeros: break;
            case ParameterInit.Ones: Array.Fill(d, scale); break;
            case ParameterInit.ResampleFilter: return ResampleFilter();
            default:
                for (long i = 0; i < n; i += 2)
                {
                    double u1 = 1.0 - _rng.NextDouble(), u2 = _rng.NextDouble(), r = Math.Sqrt(-2 * Math.Log(u1));
                    d[i] = (float)(r * Math.Cos(2 * Math.PI * u2)) * scale;
                    if (i + 1 < n) d[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2)) * scale;
                }
                break;
        }
        return d;
    }
}
