// Element types a tensor can hold. Compute is float32; int32 exists for index tensors
// (gather/index-select, pooling argmax) and is stored bit-for-bit in the same 4-byte buffers.
namespace My3DGen.Engine.Tensors;

/// <summary>Element type of a tensor.</summary>
public enum DType
{
    /// <summary>32-bit float.</summary>
    Float32,
    /// <summary>32-bit signed integer (stored bit for bit in a float storage).</summary>
    Int32,
}
