// The primitive operation set every backend implements. The tensor/autograd layer is written only
// against this interface; the managed SIMD CPU backend and the ILGPU backend are interchangeable.
// All counts and offsets are in elements. Inputs marked "contiguous" must be dense from the offset.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends;

/// <summary>The kinds of backend.</summary>
public enum BackendKind
{
    /// <summary>The managed SIMD CPU backend.</summary>
    ManagedCpu,
    /// <summary>ILGPU's CPU accelerator (kernels on simulated GPU threads; for tests).</summary>
    IlgpuCpu,
    /// <summary>An NVIDIA GPU through ILGPU.</summary>
    Cuda,
    /// <summary>An OpenCL device through ILGPU.</summary>
    OpenCL,
}

/// <summary>A compute backend: owns device memory and runs the primitive ops.</summary>
public partial interface IBackend : IDisposable
{
    /// <summary>Human-readable description (device and threads).</summary>
    string Name { get; }
    /// <summary>Which kind of backend this is.</summary>
    BackendKind Kind { get; }

    // ---- memory ----
    /// <summary>Allocates <paramref name="count"/> elements; contents are undefined.</summary>
    Storage Allocate(long count);
    /// <summary>Copies host data into <paramref name="dst"/> from element <paramref name="dstOffset"/>.</summary>
    void Upload(ReadOnlySpan<float> src, Storage dst, long dstOffset);
    /// <summary>Copies <c>dst.Length</c> elements from element <paramref name="srcOffset"/> to the host.</summary>
    void Download(Storage src, long srcOffset, Span<float> dst);
    /// <summary>Sets <paramref name="count"/> elements from <paramref name="offset"/> to <paramref name="value"/>.</summary>
    void Fill(Storage dst, long offset, long count, float value);
    /// <summary>dst[dstView] = src[srcView] elementwise; both views have the same shape.</summary>
    void Copy(Storage src, KernelView srcView, Storage dst, KernelView dstView);
    /// <summary>Waits for queued work (no-op on synchronous backends).</summary>
    void Synchronize();

    // ---- elementwise ----
    /// <summary>y = f(x) over n contiguous elements.</summary>
    void Unary(UnaryOp op, Storage x, int xOffset, Storage y, int yOffset, int n, float a, float b);
    /// <summary>gx = gy·f'(x, y) over n contiguous elements, all at offset 0.</summary>
    void UnaryGrad(UnaryOp op, Storage x, Storage y, Storage gy, Storage gx, int n, float a, float b);
    /// <summary>y[i] = a[aView(i)] ∘ b[bView(i)] for i in [0, n), y contiguous at offset 0. Views broadcast with stride 0.</summary>
    void Binary(BinaryOp op, Storage a, KernelView aView, Storage b, KernelView bView, Storage y, int n);
    /// <summary>y[o] = reduce_i x[o·inner + i] for o in [0, outer), x contiguous from xOffset.</summary>
    void ReduceLastAxis(ReduceOp op, Storage x, int xOffset, int outer, int inner, Storage y);

    // ---- linear algebra / convolution ----
    /// <summary>C = α·op(A)·op(B) + β·C over the operands a, b, c as described by <paramref name="p"/>.</summary>
    void Gemm(in GemmParams p, Storage a, Storage b, Storage c);
    /// <summary>y = conv2d(x, w) (+ bias when given). x, w, y contiguous at offset 0.</summary>
    void Conv2dForward(in ConvGeometry g, Storage x, Storage w, Storage? bias, Storage y);
    /// <summary>gx (+)= conv2d input-gradient of gy through w. <paramref name="accumulate"/> adds instead of overwriting.</summary>
    void Conv2dBackwardInput(in ConvGeometry g, Storage gy, Storage w, Storage gx, bool accumulate);
    /// <summary>gw (+)= weight-gradient of gy for input x.</summary>
    void Conv2dBackwardWeight(in ConvGeometry g, Storage gy, Storage x, Storage gw, bool accumulate);

    // ---- resampling, pooling, indexing ----
    /// <summary>y[o, r, i] = Σ_k W[k]·x[o, Idx[k], i] over the CSR rows of <paramref name="weights"/>;
    /// x is [outer, InLength, inner], y is [outer, OutLength, inner], both contiguous at offset 0.</summary>
    void ApplyAxisWeights(Storage x, int outer, int inner, AxisWeights weights, Storage y);
    /// <summary>Pooling forward. For max pooling, <paramref name="argmax"/> receives the flat input index (as int32 bits) per output.</summary>
    void Pool2d(PoolKind kind, in PoolGeometry g, Storage x, Storage y, Storage? argmax);
    /// <summary>Pooling backward into gx (overwritten).</summary>
    void Pool2dGrad(PoolKind kind, in PoolGeometry g, Storage gy, Storage? argmax, Storage gx);
    /// <summary>y[o, j, i] = x[o, idx[j], i]; x [outer, axisLength, inner], idx int32 [count].</summary>
    void IndexSelect(Storage x, int outer, int axisLength, int inner, Storage indices, int count, Storage y);
    /// <summary>gx[o, idx[j], i] += gy[o, j, i] (duplicates accumulate). gx must be initialised by the caller.</summary>
    void IndexAdd(Storage gy, int outer, int axisLength, int inner, Storage indices, int count, Storage gx);

    // ---- optimisation ----
    /// <summary>One Adam step over n elements of param p with gradient g and moments m, v (all offset 0).</summary>
    void AdamStep(in AdamParams args, Storage p, Storage g, Storage m, Storage v, int n);
}
