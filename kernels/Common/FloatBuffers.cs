// Element accessors that let one generic kernel body run on both backends: ViewBuffer wraps an ILGPU ArrayView
// (device kernels, local memory), ArrayBuffer a managed float[] (the managed CPU backend). Index math is int32;
// callers check that every buffer they pass has fewer than 2³¹ elements.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>Read/write access to a flat float buffer.</summary>
internal interface IFloatBuffer
{
    /// <summary>Element <paramref name="i"/>.</summary>
    float this[int i] { get; set; }
}

/// <summary>An ILGPU view as a <see cref="IFloatBuffer"/>.</summary>
internal readonly struct ViewBuffer : IFloatBuffer
{
    readonly ArrayView<float> _view;
    /// <summary>Wraps <paramref name="view"/>.</summary>
    public ViewBuffer(ArrayView<float> view) { _view = view; }
    /// <inheritdoc/>
    public float this[int i] { get => _view[i]; set => _view[i] = value; }
}

/// <summary>A managed array as a <see cref="IFloatBuffer"/>.</summary>
internal readonly struct ArrayBuffer : IFloatBuffer
{
    readonly float[] _data;
    /// <summary>Wraps <paramref name="data"/>.</summary>
    public ArrayBuffer(float[] data) { _data = data; }
    /// <inheritdoc/>
    public float this[int i] { get => _data[i]; set => _data[i] = value; }
}
