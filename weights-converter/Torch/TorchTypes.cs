// Torch storages and strided tensors as plain data. A storage is a window into the input file once
// its location is known; a tensor is (storage, offset, shape, stride), validated against the storage.
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Bytes;

namespace My3DGen.WeightsConverter.Torch;

/// <summary>A typed torch storage: element type, element count and (once resolved) its raw bytes.</summary>
internal sealed class TorchStorage
{
    internal TorchStorage(StoredDType dtype, long numel, string key, long declaredAt)
    {
        DType = dtype; Numel = numel; Key = key; DeclaredAt = declaredAt;
    }

    public StoredDType DType { get; }
    /// <summary>Element count declared by the file.</summary>
    public long Numel { get; }
    /// <summary>The storage key used by the file (opaque).</summary>
    public string Key { get; }
    /// <summary>Absolute file offset where the storage was declared (for errors).</summary>
    public long DeclaredAt { get; }
    internal ByteWindow? Data { get; private set; }
    /// <summary>For legacy storage views: the root storage and element offset into it.</summary>
    internal (TorchStorage Root, long Offset)? ViewOf { get; init; }

    /// <summary>Binds the storage to its bytes; the window must hold at least Numel elements.</summary>
    internal void Resolve(ByteWindow data)
    {
        long need = checked(Numel * DType.Size());
        if (data.Length < need)
            throw data.Error(0, $"storage '{Key}' declares {Numel} elements ({need} bytes) but only {data.Length} bytes are present");
        Data = data.Slice(0, need, $"storage '{Key}'");
    }

    /// <summary>The storage bytes, following a legacy view to its root. Throws if never resolved.</summary>
    internal ByteWindow Bytes(string filePath)
    {
        if (ViewOf is { } v)
        {
            var root = v.Root.Bytes(filePath);
            return root.Slice(checked(v.Offset * DType.Size()), checked(Numel * DType.Size()), $"view of storage '{v.Root.Key}'");
        }
        return Data ?? throw new WeightsFormatException(filePath, $"storage '{Key}' is referenced but its data was never found", DeclaredAt);
    }
}

/// <summary>A strided tensor view of a <see cref="TorchStorage"/>.</summary>
internal sealed class TorchTensor
{
    internal TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride)
    {
        Storage = storage; Offset = offset; Shape = shape; Stride = stride;
    }

    public TorchStorage Storage { get; }
    public StoredDType DType => Storage.DType;
    /// <summary>Element offset into the storage.</summary>
    public long Offset { get; }
    public long[] Shape { get; }
    public long[] Stride { get; }
    /// <summary>True when the tensor was rebuilt as an nn.Parameter.</summary>
    public bool IsParameter { get; internal set; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>True when the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous
    {
        get
        {
            long expect = 1;
            for (int i = Shape.Length - 1; i >= 0; i--)
            {
                if (Shape[i] != 1 && Stride[i] != expect) return false;
                expect *= Shape[i];
            }
            return true;
        }
    }

    /// <summary>Validates offset/shape/stride against the storage size; throws a typed error naming <paramref name="at"/>.</summary>
    internal static TorchTensor Create(TorchStorage storage, long offset, long[] shape, long[] stride, string file, long at)
    {
        if (shape.Length != stride.Length)
            throw new WeightsFormatException(file, $"tensor has {shape.Length} sizes but {stride.Length} strides", at);
        if (shape.Length > 32)
            throw new WeightsFormatException(file, $"tensor has {shape.Length} dimensions (at most 32 supported)", at);
        if (offset < 0) throw new WeightsFormatException(file, $"tensor storage offset {offset} is negative", at);
        long numel = 1, maxIndex = offset;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0 || shape[i] > int.MaxValue)
                throw new WeightsFormatException(file, $"tensor dimension {i} has invalid size {shape[i]}", at);
            if (stride[i] < 0)
                throw new WeightsFormatException(file, $"tensor dimension {i} has negative stride {stride[i]}", at);
            numel = SafeMul(numel, shape[i], file, at);
        }
        if (numel > 0)
        {
            for (int i = 0; i < shape.Length; i++)
                maxIndex = SafeAdd(maxIndex, SafeMul(shape[i] - 1, stride[i], file, at), file, at);
            if (maxIndex >= storage.Numel)
                throw new WeightsFormatException(file,
                    $"tensor view (offset {offset}, shape [{string.Join(",", shape)}], stride [{string.Join(",", stride)}]) reaches element {maxIndex} of a storage with {storage.Numel} elements", at);
        }
        return new TorchTensor(storage, offset, shape, stride);
    }

    static long SafeMul(long a, long b, string file, long at)
    {
        try { return checked(a * b); }
        catch (OverflowException) { throw new WeightsFormatException(file, "tensor size overflows 64 bits", at); }
    }

    static long SafeAdd(long a, long b, string file, long at)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw new WeightsFormatException(file, "tensor extent overflows 64 bits", at); }
    }
}

/// <summary>Maps torch storage class names to element types.</summary>
internal static class TorchStorageTypes
{
    static readonly Dictionary<string, StoredDType> ByName = new()
    {
        ["FloatStorage"] = StoredDType.F32, ["DoubleStorage"] = StoredDType.F64, ["HalfStorage"] = StoredDType.F16,
        ["BFloat16Storage"] = StoredDType.BF16, ["LongStorage"] = StoredDType.I64, ["IntStorage"] = StoredDType.I32,
        ["ShortStorage"] = StoredDType.I16, ["CharStorage"] = StoredDType.I8, ["ByteStorage"] = StoredDType.U8,
        ["BoolStorage"] = StoredDType.Bool, ["UntypedStorage"] = StoredDType.U8,
    };

    /// <summary>True for e.g. torch.FloatStorage, torch.cuda.HalfStorage, torch.storage.UntypedStorage.</summary>
    public static bool TryGet(string module, string name, out StoredDType dtype)
    {
        dtype = default;
        return module is "torch" or "torch.cuda" or "torch.storage" && ByName.TryGetValue(name, out dtype);
    }
}
