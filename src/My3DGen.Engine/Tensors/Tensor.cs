// The tensor: a Storage (device memory) seen through a layout (shape, strides, offset) plus its
// autograd state. Views share storage and only change the layout; all math lives in Ops/.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tensors;

/// <summary>An n-dimensional float32 (or int32) array on one backend, with optional gradient tracking.</summary>
public sealed partial class Tensor : IDisposable
{
    internal Storage Storage { get; }
    /// <summary>Dimensions, outermost first (NCHW for images).</summary>
    public int[] Shape { get; }
    /// <summary>Element strides per dimension.</summary>
    public int[] Strides { get; }
    /// <summary>Element offset of the first element inside the storage.</summary>
    public int Offset { get; }
    /// <summary>Element type.</summary>
    public DType DType { get; }
    /// <summary>Optional name used in error messages (e.g. the state-dict key of a weight).</summary>
    public string? Name { get; set; }

    bool _requiresGrad;
    bool _disposed;
    /// <summary>Accumulated gradient of a leaf after <see cref="Backward"/>; null before.</summary>
    public Tensor? Grad { get; set; }
    internal Node? GradFn { get; set; }

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset, DType dtype)
    {
        Storage = storage; Shape = shape; Strides = strides; Offset = offset; DType = dtype;
        TensorScope.Track(this);
    }

    /// <summary>The backend holding the data.</summary>
    public IBackend Backend => Storage.Backend;
    /// <summary>Number of axes.</summary>
    public int Rank => Shape.Length;
    /// <summary>Number of elements.</summary>
    public long Numel => ShapeUtil.Numel(Shape);
    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _disposed;
    /// <summary>True for tensors created by the user rather than by an op.</summary>
    public bool IsLeaf => GradFn == null;

    /// <summary>Whether gradients are computed for this tensor. Settable on leaves only.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf) throw new AutogradException("requires_grad", "can only be changed on leaf tensors");
            if (value && DType != DType.Float32) throw new DTypeMismatchException("requires_grad", "only float32 tensors can require gradients");
            _requiresGrad = value;
        }
    }

    internal void MarkRequiresGrad() => _requiresGrad = true;

    /// <summary>Length of <paramref name="axis"/> (negative counts from the end).</summary>
    public int Size(int axis) => Shape[ShapeUtil.NormalizeAxis("size", axis, Rank)];

    /// <summary>True when the elements are dense in row-major order.</summary>
    public bool IsContiguous
    {
        get
        {
            int expect = 1;
            for (int i = Rank - 1; i >= 0; i--)
            {
                if (Shape[i] != 1 && Strides[i] != expect) return false;
                expect *= Shape[i];
            }
            return true;
        }
    }

    /// <summary>Shape, dtype and backend.</summary>
    public override string ToString() => $"Tensor{TensorException.Fmt(Shape)} {DType} on {Backend.Name}" + (Name != null ? $" '{Name}'" : "");

    /// <summary>Throws a typed error when the tensor was disposed.</summary>
    internal void CheckAlive(string op)
    {
        if (_disposed || Storage.IsReleased)
            throw new TensorDisposedException(op, $"tensor {TensorException.Fmt(Shape)}{(Name != null ? $" '{Name}'" : "")} was used after Dispose");
    }

    internal KernelView View() => KernelView.Create(Shape, Strides, Offset);

    /// <summary>The strided view of this tensor broadcast to <paramref name="shape"/> (stride 0 on expanded axes).</summary>
    internal KernelView BroadcastView(int[] shape)
    {
        int pad = shape.Length - Rank;
        var st = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (i < pad) { st[i] = 0; continue; }
            st[i] = Shape[i - pad] == 1 && shape[i] != 1 ? 0 : Strides[i - pad];
        }
        return KernelView.Create(shape, st, Offset);
    }

    /// <summary>Releases this tensor's reference to its storage.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Storage.Release();
    }

    // ---------------- creation ----------------

    /// <summary>Uninitialised contiguous tensor.</summary>
    public static Tensor Empty(IBackend backend, int[] shape, DType dtype = DType.Float32)
    {
        foreach (var s in shape)
            if (s < 0) throw new ShapeMismatchException("empty", $"negative dimension in {TensorException.Fmt(shape)}");
        var st = backend.Allocate(Math.Max(1, ShapeUtil.Numel(shape)));
        return new Tensor(st, (int[])shape.Clone(), ShapeUtil.ContiguousStrides(shape), 0, dtype);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(IBackend backend, int[] shape, float value)
    {
        var t = Empty(backend, shape);
        backend.Fill(t.Storage, 0, t.Numel, value);
        return t;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(IBackend backend, params int[] shape) => Full(backend, shape, 0f);
    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(IBackend backend, params int[] shape) => Full(backend, shape, 1f);
    /// <summary>A rank-0 tensor.</summary>
    public static Tensor Scalar(IBackend backend, float value) => Full(backend, [], value);

    /// <summary>Uploads float data with the given shape.</summary>
    public static Tensor FromArray(IBackend backend, ReadOnlySpan<float> data, params int[] shape)
    {
        if (ShapeUtil.Numel(shape) != data.Length)
            throw new ShapeMismatchException("from_array", $"{data.Length} values do not fill shape {TensorException.Fmt(shape)}");
        var t = Empty(backend, shape);
        backend.Upload(data, t.Storage, 0);
        return t;
    }

    /// <summary>Uploads int32 data with the given shape.</summary>
    public static Tensor FromInts(IBackend backend, ReadOnlySpan<int> data, params int[] shape)
    {
        if (ShapeUtil.Numel(shape) != data.Length)
            throw new ShapeMismatchException("from_ints", $"{data.Length} values do not fill shape {TensorException.Fmt(shape)}");
        var t = Empty(backend, shape, DType.Int32);
        backend.Upload(System.Runtime.InteropServices.MemoryMarshal.Cast<int, float>(data), t.Storage, 0);
        return t;
    }

    /// <summary>Uniform random values in [lo, hi) from an explicit seeded generator.</summary>
    public static Tensor Uniform(IBackend backend, Random rng, int[] shape, float lo = 0f, float hi = 1f)
    {
        var data = new float[ShapeUtil.Numel(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = lo + (hi - lo) * (float)rng.NextDouble();
        return FromArray(backend, data, shape);
    }

    /// <summary>Standard normal values (Box–Muller) from an explicit seeded generator.</summary>
    public static Tensor Randn(IBackend backend, Random rng, int[] shape, float std = 1f)
    {
        var data = new float[ShapeUtil.Numel(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = std * (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return FromArray(backend, data, shape);
    }

    // ---------------- read-back ----------------

    /// <summary>Copies the elements to a new row-major host array.</summary>
    public float[] ToArray()
    {
        CheckAlive("to_array");
        var dst = new float[Numel];
        if (IsContiguous) Backend.Download(Storage, Offset, dst);
        else using (Autograd.GradMode.NoGrad()) using (var c = this.Contiguous()) Backend.Download(c.Storage, c.Offset, dst);
        return dst;
    }

    /// <summary>Downloads an int32 tensor.</summary>
    public int[] ToIntArray()
    {
        if (DType != DType.Int32) throw new DTypeMismatchException("to_int_array", $"tensor is {DType}, not Int32");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(ToArray()).ToArray();
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Numel != 1) throw new ShapeMismatchException("item", $"tensor {TensorException.Fmt(Shape)} has {Numel} elements, not 1");
        return ToArray()[0];
    }

    /// <summary>A new leaf tensor sharing this storage but cut from the autograd graph.</summary>
    public Tensor Detach()
    {
        CheckAlive("detach");
        Storage.AddRef();
        return new Tensor(Storage, Shape, Strides, Offset, DType);
    }

    /// <summary>Copy to another backend (or a fresh copy on the same one), as a leaf.</summary>
    public Tensor To(IBackend backend)
    {
        var data = ToArray();
        var t = Empty(backend, Shape, DType);
        backend.Upload(data, t.Storage, 0);
        return t;
    }

    /// <summary>Overwrites this tensor's elements with <paramref name="source"/>'s (same shape; any backend).
    /// Not recorded by autograd: for loading checkpoints, merging adapters and optimiser-style updates.</summary>
    public void AssignFrom(Tensor source)
    {
        CheckAlive("assign"); source.CheckAlive("assign");
        if (!ShapeUtil.SameShape(Shape, source.Shape))
            throw new ShapeMismatchException("assign", $"cannot assign {TensorException.Fmt(source.Shape)} to {TensorException.Fmt(Shape)}");
        if (ReferenceEquals(source.Backend, Backend)) Backend.Copy(source.Storage, source.View(), Storage, View());
        else AssignFrom(source.ToArray());
    }

    /// <summary>Overwrites this tensor's elements with host values in row-major order.</summary>
    public void AssignFrom(ReadOnlySpan<float> values)
    {
        CheckAlive("assign");
        if (values.Length != Numel)
            throw new ShapeMismatchException("assign", $"{values.Length} values do not fill {TensorException.Fmt(Shape)}");
        if (IsContiguous) { Backend.Upload(values, Storage, Offset); return; }
        var tmp = FromArray(Backend, values, Shape);
        Backend.Copy(tmp.Storage, tmp.View(), Storage, View());
        tmp.Dispose();
    }

    internal Tensor ViewOf(int[] shape, int[] strides, int offset)
    {
        Storage.AddRef();
        return new Tensor(Storage, shape, strides, offset, DType);
    }
}
