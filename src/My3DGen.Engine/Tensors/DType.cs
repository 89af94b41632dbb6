// Element types a tensor can hold. Compute is float32; int32 exists for index tensors
// (gather/index-select, pooling argmax) and is stored bit-for-bit in the same 4-byte buffers.
namespace My3DGen.Engine.Tensors;

public enum DType { Float32, Int32 }
