// Streams the elements of a strided torch tensor to an output in row-major order: contiguous tensors
// are copied straight from the mapped input; strided views are gathered through a small buffer.
using My3DGen.Engine.IO;
using My3DGen.WeightsConverter.Torch;

namespace My3DGen.WeightsConverter.Model;

internal static class TensorBytes
{
    /// <summary>Writes the tensor's bytes (C order) and returns how many were written.</summary>
    public static long Write(TorchTensor t, Stream output, string file)
    {
        var data = t.Storage.Bytes(file);
        int es = t.DType.Size();
        long numel = t.ElementCount;
        if (numel == 0) return 0;
        if (t.IsContiguous)
        {
            data.Slice(t.Offset * es, numel * es, "tensor data").CopyTo(output);
            return numel * es;
        }
        int rank = t.Shape.Length;
        long rowLen = t.Shape[rank - 1], rowStride = t.Stride[rank - 1];
        var index = new long[rank - 1];
        var buffer = new byte[1 << 16];
        int used = 0;
        long written = 0;
        while (true)
        {
            long baseElem = t.Offset;
            for (int d = 0; d < rank - 1; d++) baseElem += index[d] * t.Stride[d];
            for (long j = 0; j < rowLen; j++)
            {
                if (used + es > buffer.Length) { output.Write(buffer, 0, used); written += used; used = 0; }
                data.CopyUnchecked((baseElem + j * rowStride) * es, buffer.AsSpan(used, es));
                used += es;
            }
            int k = rank - 2;
            while (k >= 0 && ++index[k] == t.Shape[k]) { index[k] = 0; k--; }
            if (k < 0) break;
        }
        output.Write(buffer, 0, used);
        return written + used;
    }
}
