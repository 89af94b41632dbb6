// IBackend on ILGPU: owns one Context + Accelerator (CPU simulator, CUDA or OpenCL), the buffer
// cache and the lazily compiled kernels. This file holds creation, device discovery, memory and
// synchronisation; the op families live in the IlgpuBackend.*.cs partial files.
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>One ILGPU device seen by <see cref="IlgpuBackend.Available"/>.</summary>
public readonly record struct IlgpuDeviceInfo(BackendKind Kind, string Name, long MemoryBytes);

/// <summary>The ILGPU compute backend. All work is queued on the accelerator's default stream, in order;
/// <see cref="Download"/> and <see cref="Synchronize"/> wait for it.</summary>
public sealed partial class IlgpuBackend : IBackend
{
    readonly Context _context;
    readonly Accelerator _accelerator;
    readonly KernelSet _kernels;
    readonly UploadStaging _staging;
    bool _disposed;

    IlgpuBackend(Context context, Accelerator accelerator, BackendKind kind)
    {
        _context = context;
        _accelerator = accelerator;
        Kind = kind;
        Cache = new BufferCache(accelerator);
        _staging = new UploadStaging(accelerator);
        _kernels = new KernelSet(accelerator, kind == BackendKind.IlgpuCpu);
    }

    /// <inheritdoc/>
    public string Name => $"ILGPU {Kind}: {_accelerator.Name}";

    /// <inheritdoc/>
    public BackendKind Kind { get; }

    /// <summary>The underlying accelerator (for benchmarks and diagnostics).</summary>
    public Accelerator Accelerator => _accelerator;

    /// <summary>GEMM kernel selection (also used by convolution). Default <see cref="GemmKernelKind.Auto"/>.</summary>
    public GemmKernelKind GemmKernel { get; set; }

    /// <summary>Reduction kernel selection. Default <see cref="ReduceKernelKind.Auto"/>.</summary>
    public ReduceKernelKind ReduceKernel { get; set; }

    internal BufferCache Cache { get; }

    /// <summary>When true, <see cref="IndexAdd"/> runs without float atomics (one thread per column, indices in order):
    /// bit-identical results run to run and to the managed CPU backend, at the cost of parallelism over outer·inner only.
    /// Default: the <see cref="DeterministicEnvironmentVariable"/> environment variable is "1".</summary>
    public bool DeterministicIndexAdd { get; set; } = Environment.GetEnvironmentVariable(DeterministicEnvironmentVariable) == "1";

    /// <summary>Environment variable that turns on the deterministic (atomic-free) kernels by default.</summary>
    public const string DeterministicEnvironmentVariable = "MY3DGEN_DETERMINISTIC";

    /// <summary>Bytes held by the buffer cache but not in use.</summary>
    public long CachedBytes => Cache.CachedBytes;

    /// <summary>Frees every cached, unused device buffer.</summary>
    public void TrimCache() => Cache.Trim();

    /// <summary>Creates a backend on the first device of <paramref name="kind"/>; null when there is none
    /// (or its driver cannot be loaded). <see cref="BackendKind.ManagedCpu"/> is not an ILGPU kind and gives null.</summary>
    public static IlgpuBackend? TryCreate(BackendKind kind)
    {
        if (kind == BackendKind.ManagedCpu) return null;
        NativeLibraryResolver.EnsureInstalled();
        Context? context = null;
        try
        {
            context = kind switch
            {
                BackendKind.IlgpuCpu => Context.Create(b => b.CPU(CPUDeviceKind.Nvidia).EnableAlgorithms()),
                BackendKind.Cuda => Context.Create(b => b.Cuda().EnableAlgorithms()),
                _ => Context.Create(b => b.OpenCL().EnableAlgorithms()),
            };
            Accelerator? acc = kind switch
            {
                BackendKind.IlgpuCpu => context.CreateCPUAccelerator(0),
                BackendKind.Cuda => context.GetCudaDevices().Count > 0 ? context.CreateCudaAccelerator(0) : null,
                _ => context.GetCLDevices().Count > 0 ? context.CreateCLAccelerator(0) : null,
            };
            if (acc == null) { context.Dispose(); LastCreateError = $"{kind}: {NoneFoundReason(kind)}"; return null; }
            return new IlgpuBackend(context, acc, kind);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException
                                      or AcceleratorException or NotSupportedException or InvalidOperationException)
        {
            context?.Dispose();
            LastCreateError = $"{kind}: {e.GetType().Name}: {e.Message}";   // see Probe() / `my3dgen devices --verbose`
            return null;
        }
    }

    /// <summary>Every ILGPU device this process can use (the CPU simulator always; CUDA/OpenCL when drivers load).</summary>
    public static IReadOnlyList<IlgpuDeviceInfo> Available()
    {
        NativeLibraryResolver.EnsureInstalled();
        var list = new List<IlgpuDeviceInfo>();
        try
        {
            using var context = Context.Create(b => b.AllAccelerators());
            foreach (var d in context.Devices)
            {
                var kind = d.AcceleratorType switch
                {
                    AcceleratorType.Cuda => BackendKind.Cuda,
                    AcceleratorType.OpenCL => BackendKind.OpenCL,
                    _ => BackendKind.IlgpuCpu,
                };
                list.Add(new IlgpuDeviceInfo(kind, d.Name, d.MemorySize));
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException
                                      or AcceleratorException or NotSupportedException or InvalidOperationException)
        {
            if (list.Count == 0) list.Add(new IlgpuDeviceInfo(BackendKind.IlgpuCpu, "CPUAccelerator", 0));
        }
        return list;
    }

    // ---- memory ----

    /// <inheritdoc/>
    public Storage Allocate(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new IlgpuStorage(this, Cache.Rent(count), count);
    }

    /// <inheritdoc/>
    /// <remarks>Does not wait for the device queue: the data is staged in page-locked host memory and copied behind the
    /// work already queued (see <see cref="UploadStaging"/>); the span may be reused as soon as this returns.</remarks>
    public void Upload(ReadOnlySpan<float> src, Storage dst, long dstOffset)
    {
        dst.MarkWritten();
        var d = Own(dst);
        CheckRange(d, dstOffset, src.Length, nameof(dst));
        if (src.IsEmpty) return;
        lock (_staging)
        {
            if (_staging.NeedsDrainBefore(src.Length)) Drain();
            _staging.Enqueue(src, d.Buffer.View.SubView(dstOffset, src.Length), _accelerator.DefaultStream);
            UploadedBytes += (long)src.Length * sizeof(float);
        }
    }

    /// <inheritdoc/>
    public void Download(Storage src, long srcOffset, Span<float> dst)
    {
        var s = Own(src);
        CheckRange(s, srcOffset, dst.Length, nameof(src));
        if (dst.IsEmpty) return;
        Drain();
        lock (_staging) DownloadedBytes += (long)dst.Length * sizeof(float);
        unsafe
        {
            fixed (float* pinned = dst)   // ILGPU turns the ref into a raw pointer: pinned until the copy has completed
            {
                s.Buffer.View.SubView(srcOffset, dst.Length).CopyToCPU(ref MemoryMarshal.GetReference(dst), dst.Length);
                _accelerator.DefaultStream.Synchronize();
            }
        }
    }

    /// <inheritdoc/>
    public void Fill(Storage dst, long offset, long count, float value)
    {
        dst.MarkWritten();
        var d = Own(dst);
        CheckRange(d, offset, count, nameof(dst));
        if (count == 0) return;
        _kernels.Fill.Value(_kernels.Linear(count), d.Buffer.View.SubView(offset, count), checked((int)count), value);
    }

    /// <inheritdoc/>
    public void Copy(Storage src, KernelView srcView, Storage dst, KernelView dstView)
    {
        dst.MarkWritten();
        var s = Own(src); var d = Own(dst);
        int n = srcView.Count;
        if (dstView.Count != n) throw new ArgumentException($"copy shapes differ: {n} vs {dstView.Count} elements");
        if (n == 0) return;
        _kernels.Copy.Value(_kernels.Linear(n), s.View, srcView, d.View, dstView, n);
    }

    /// <inheritdoc/>
    public void Synchronize() => Drain();

    /// <summary>Waits for every queued kernel and copy, then recycles the upload staging buffers.</summary>
    void Drain()
    {
        lock (_staging)
        {
            _accelerator.Synchronize();
            _staging.Drained();
            Drains++;
        }
    }

    /// <summary>Times this backend waited for the whole device queue (downloads and Synchronize).</summary>
    public long Drains { get; private set; }
    /// <summary>Bytes copied host → device so far.</summary>
    public long UploadedBytes { get; private set; }
    /// <summary>Bytes copied device → host so far.</summary>
    public long DownloadedBytes { get; private set; }

    /// <summary>Frees every buffer (cached or live) and the accelerator. Storages released afterwards are ignored.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { _accelerator.Synchronize(); } catch (Exception) { /* a failed device must still be torn down */ }
        _staging.Dispose();
        Cache.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    // ---- shared helpers for the partial files ----

    /// <summary>The storage as this backend's type; throws for foreign or released storage.</summary>
    internal IlgpuStorage Own(Storage s, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(s, name);
        if (s is not IlgpuStorage st || !ReferenceEquals(st.Backend, this))
            throw new ArgumentException($"storage {name} belongs to another backend ({s.Backend.Name})", name);
        if (s.IsReleased) throw new ObjectDisposedException(name ?? nameof(Storage), "storage was already released");
        ObjectDisposedException.ThrowIf(_disposed, this);
        return st;
    }

    static void CheckRange(Storage s, long offset, long count, string name)
    {
        if (offset < 0 || count < 0 || offset + count > s.Length)
            throw new ArgumentOutOfRangeException(name, $"range [{offset}, {offset + count}) is outside a storage of {s.Length} elements");
    }

    /// <summary>Throws unless [offset, offset + count) lies inside <paramref name="s"/>.</summary>
    internal static void Need(Storage s, long offset, long count, string name) => CheckRange(s, offset, count, name);

    /// <summary>Temporary device buffer from the cache; release it when the queued work that uses it is enqueued
    /// (later users run after it on the same in-order stream).</summary>
    internal IlgpuStorage Temp(long count) => (IlgpuStorage)Allocate(count);
}
