// The compiled kernels of one accelerator, loaded lazily on first use and cached as delegates
// (compiling a kernel costs ~100 ms), plus the launch-configuration rules shared by all of them.
using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;
using AV = ILGPU.ArrayView<float>;
using AVi = ILGPU.ArrayView<int>;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>Lazily loaded kernel delegates for one accelerator.</summary>
internal sealed class KernelSet
{
    readonly Accelerator _acc;
    readonly bool _isCpu;

    public KernelSet(Accelerator accelerator, bool isCpu)
    {
        _acc = accelerator;
        _isCpu = isCpu;
        Copy = Load<AV, KernelView, AV, KernelView, int>(ElementwiseKernels.Copy);
        Fill = Load<AV, int, float>(ElementwiseKernels.Fill);
        ReduceRowLoop = Load<AV, AV, int, int, int>(ReduceKernels.RowLoop);
        ReduceTree = Load<AV, AV, int, int, int>(ReduceKernels.Tree);
        GemmNaive = Load<AV, AV, AV, GemmParams>(GemmKernels.Naive);
        GemmTiled16 = Load<AV, AV, AV, GemmParams>(GemmKernels.Tiled16);
        GemmBlocked64 = Load<AV, AV, AV, GemmParams>(GemmKernels.Blocked64);
        Im2Col = Load<AV, AV, ConvGeometry>(Im2ColKernels.Im2Col);
        Col2Im = Load<AV, AV, ConvGeometry, int>(Im2ColKernels.Col2Im);
        AddChannelBias = Load<AV, AV, int, int, int>(Im2ColKernels.AddChannelBias);
        MaxPool = Load<AV, AV, AVi, PoolGeometry, int>(PoolKernels.MaxForward);
        AvgPool = Load<AV, AV, PoolGeometry>(PoolKernels.AvgForward);
        MaxPoolGrad = Load<AV, AVi, AV, PoolGeometry>(PoolKernels.MaxBackward);
        AvgPoolGrad = Load<AV, AV, PoolGeometry>(PoolKernels.AvgBackward);
        AxisWeights = Load<AV, AV, AVi, AVi, AV, int, int, int, int>(AxisWeightsKernels.Apply);
        IndexSelect = Load<AV, AVi, AV, int, int, int, int>(IndexKernels.Select);
        IndexAdd = Load<AV, AVi, AV, int, int, int, int>(IndexKernels.Add);
        IndexAddOrdered = Load<AV, AVi, AV, int, int, int, int>(IndexKernels.AddOrdered);
        Adam = Load<AV, AV, AV, AV, int, AdamParams>(AdamKernels.Step);
    }

    /// <summary>Operator kernels compiled so far, keyed by kernel family and operator struct.</summary>
    readonly ConcurrentDictionary<(string Family, Type Op), Delegate> _operatorKernels = new();

    /// <summary>y = f(x) specialised for the operator struct <typeparamref name="TOp"/>.</summary>
    public Action<KernelConfig, AV, AV, int, float, float> Unary<TOp>() where TOp : struct, IUnaryOperator =>
        (Action<KernelConfig, AV, AV, int, float, float>)_operatorKernels.GetOrAdd((nameof(Unary), typeof(TOp)),
            _ => _acc.LoadStreamKernel<AV, AV, int, float, float>(ElementwiseKernels.Unary<TOp>));

    /// <summary>gx = gy·f'(x, y) specialised for the operator struct <typeparamref name="TOp"/>.</summary>
    public Action<KernelConfig, AV, AV, AV, AV, int, float, float> UnaryGrad<TOp>() where TOp : struct, IUnaryOperator =>
        (Action<KernelConfig, AV, AV, AV, AV, int, float, float>)_operatorKernels.GetOrAdd((nameof(UnaryGrad), typeof(TOp)),
            _ => _acc.LoadStreamKernel<AV, AV, AV, AV, int, float, float>(ElementwiseKernels.UnaryGrad<TOp>));

    /// <summary>Broadcasting y = a ∘ b specialised for the operator struct <typeparamref name="TOp"/>.</summary>
    public Action<KernelConfig, AV, KernelView, AV, KernelView, AV, int> Binary<TOp>() where TOp : struct, IBinaryOperator =>
        (Action<KernelConfig, AV, KernelView, AV, KernelView, AV, int>)_operatorKernels.GetOrAdd((nameof(Binary), typeof(TOp)),
            _ => _acc.LoadStreamKernel<AV, KernelView, AV, KernelView, AV, int>(ElementwiseKernels.Binary<TOp>));
    public readonly Lazy<Action<KernelConfig, AV, KernelView, AV, KernelView, int>> Copy;
    public readonly Lazy<Action<KernelConfig, AV, int, float>> Fill;
    public readonly Lazy<Action<KernelConfig, AV, AV, int, int, int>> ReduceRowLoop, ReduceTree;
    public readonly Lazy<Action<KernelConfig, AV, AV, AV, GemmParams>> GemmNaive, GemmTiled16, GemmBlocked64;
    public readonly Lazy<Action<KernelConfig, AV, AV, ConvGeometry>> Im2Col;
    public readonly Lazy<Action<KernelConfig, AV, AV, ConvGeometry, int>> Col2Im;
    public readonly Lazy<Action<KernelConfig, AV, AV, int, int, int>> AddChannelBias;
    public readonly Lazy<Action<KernelConfig, AV, AV, AVi, PoolGeometry, int>> MaxPool;
    public readonly Lazy<Action<KernelConfig, AV, AV, PoolGeometry>> AvgPool, AvgPoolGrad;
    public readonly Lazy<Action<KernelConfig, AV, AVi, AV, PoolGeometry>> MaxPoolGrad;
    public readonly Lazy<Action<KernelConfig, AV, AV, AVi, AVi, AV, int, int, int, int>> AxisWeights;
    public readonly Lazy<Action<KernelConfig, AV, AVi, AV, int, int, int, int>> IndexSelect, IndexAdd, IndexAddOrdered;
    public readonly Lazy<Action<KernelConfig, AV, AV, AV, AV, int, AdamParams>> Adam;

    /// <summary>Launch configuration of a grid-stride kernel over <paramref name="n"/> items:
    /// a few 32-thread groups on the CPU accelerator, 256-thread groups (capped) on GPUs.</summary>
    public KernelConfig Linear(long n)
    {
        DeviceLimits.CheckedCount(n, "kernel launch");
        int groupSize = _isCpu ? 32 : 256;
        long maxGroups = _isCpu ? Math.Max(1, Environment.ProcessorCount) : Math.Max(1, _acc.NumMultiprocessors) * 32L;
        long groups = Math.Clamp((n + groupSize - 1) / groupSize, 1, maxGroups);
        return new KernelConfig((int)groups, groupSize);
    }

    /// <summary>Launch configuration of the tree reduction: one group per row (grid-stride over rows).</summary>
    public KernelConfig PerRow(int rows)
    {
        int group = ReduceKernels.MaxGroup;
        while (group > _acc.MaxNumThreadsPerGroup) group /= 2;
        int grid = Math.Clamp(rows, 1, _isCpu ? Math.Max(1, Environment.ProcessorCount) : 65535);
        return new KernelConfig(grid, group);
    }

    Lazy<Action<KernelConfig, T1, T2, T3>> Load<T1, T2, T3>(Action<T1, T2, T3> k)
        where T1 : struct where T2 : struct where T3 : struct => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4>> Load<T1, T2, T3, T4>(Action<T1, T2, T3, T4> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4, T5>> Load<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4, T5, T6>> Load<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct
        => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7>> Load<T1, T2, T3, T4, T5, T6, T7>(Action<T1, T2, T3, T4, T5, T6, T7> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct
        => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8>> Load<T1, T2, T3, T4, T5, T6, T7, T8>(Action<T1, T2, T3, T4, T5, T6, T7, T8> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct
        => new(() => _acc.LoadStreamKernel(k));
    Lazy<Action<KernelConfig, T1, T2, T3, T4, T5, T6, T7, T8, T9>> Load<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Action<T1, T2, T3, T4, T5, T6, T7, T8, T9> k)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct
        => new(() => _acc.LoadStreamKernel(k));
}
