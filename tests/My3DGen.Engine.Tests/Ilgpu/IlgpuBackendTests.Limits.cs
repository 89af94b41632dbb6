// Device-limit and numeric-parity checks of the ILGPU backend: GEMMs whose row tiles cross grid Y's 65,535 (tall-skinny,
// so little memory), grouped convs unfolded in group chunks, NaN-propagating max/min/clamp, saturating tanh, exact
// squares, the deterministic index-add, and uploads that do not wait for the device queue.
using System.Runtime.InteropServices;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public abstract partial class IlgpuBackendTests
{
    [Test]
    public void Gemm_RowTilesBeyondGridYLimit_AreSplit()
    {
        // 65,535 row tiles of 16 rows + 1 row: the 16×16 kernel needs 65,536 tiles on grid Y; the plan cuts it in two.
        int m = DeviceLimits.MaxGridYZ * GemmKernels.Tile + 1;
        var p = GemmParams.Create(false, false, m, 1, 1, 1f, 0, 1, 0, 0, 1, 0, 0f, 0, 1, 0);
        var plan = GemmLaunchPlan.Plan(p, GemmKernels.Tile);
        Assert.That(plan, Has.Count.EqualTo(2));
        Assert.That(plan.Max(c => c.Grid.Y), Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ));
        Assert.That(plan.Sum(c => c.Local.M), Is.EqualTo(m));
        Assert.That(plan[1].BaseC, Is.EqualTo((long)DeviceLimits.MaxGridYZ * GemmKernels.Tile), "second launch starts at row 65,535·16");
    }

    [TestCase(GemmKernelKind.Tiled16, false, false)]
    [TestCase(GemmKernelKind.Tiled16, true, true)]
    [TestCase(GemmKernelKind.Blocked64, true, false)]
    public void Gemm_SplitLaunches_MatchReference(GemmKernelKind kind, bool ta, bool tb)
    {
        // On the GPU at the real limit (1,048,577 rows); on the CPU accelerator (which simulates every thread) the same
        // split is exercised with the grid limit lowered to 2 tiles, so rows, batches and offsets cross several launches.
        bool cpu = B.Kind == BackendKind.IlgpuCpu;
        int edge = kind == GemmKernelKind.Tiled16 ? GemmKernels.Tile : GemmKernels.Block;
        int limit = cpu ? 2 : DeviceLimits.MaxGridYZ, m = limit * edge + 3, n = 5, k = 7, batch = cpu ? 5 : 1;
        var p = GemmParams.Create(ta, tb, m, n, k, 1.25f, 2, ta ? m : k, m * k + 3, 1, tb ? k : n, n * k + 1, 0.5f, 4, n, m * n + 2, batch);
        var ha = Dev.Rand(2 + batch * (m * k + 3), 11); var hb = Dev.Rand(1 + batch * (n * k + 1), 12); var hc = Dev.Rand(4 + batch * (m * n + 2), 13);
        var want = (float[])hc.Clone();
        GemmReference.Run(ha, hb, want, p);
        var a = B.Up(ha); var b = B.Up(hb); var c = B.Up(hc);
        B.GemmKernel = kind;
        B.MaxGridYZ = limit;
        try
        {
            Assert.That(GemmLaunchPlan.Plan(p, edge, limit), Has.Count.GreaterThan(1), "split into several launches");
            B.Gemm(p, a, b, c);
            Dev.Close(want, B.Down(c, hc.Length), 1e-5, 1e-5, $"split {kind} ta={ta} tb={tb} {m}x{n}x{k} b{batch}");
        }
        finally { B.MaxGridYZ = DeviceLimits.MaxGridYZ; Release(a, b, c); }
    }

    [Test]
    public void Gemm_NaiveLaunchesKeepInt32Indices()
    {
        // M·N·batch = 3·2³⁰ outputs: the one-thread-per-output kernel must be cut into launches below int32 (plan only: 12 GB).
        int m = 1 << 15, n = 1 << 15;
        var p = GemmParams.Create(false, false, m, n, 1, 1f, 0, 1, m, 0, n, 0, 0f, 0, n, m * n, batch: 3);
        var plan = GemmLaunchPlan.Plan(p, 0);
        Assert.That(plan.All(c => (long)c.Local.M * c.Local.N * c.Local.Batch <= DeviceLimits.MaxLinearCount), "per-launch outputs");
        Assert.That(plan.Sum(c => (long)c.Local.M * c.Local.N * c.Local.Batch), Is.EqualTo(3L << 30));
        Assert.That(plan.Max(c => c.BaseC), Is.GreaterThan(int.MaxValue), "rebased beyond int32");
    }

    [Test]
    public void Conv2d_GroupChunks_MatchReference()
    {
        // Force one group per chunk (the split that keeps batch-8 modulated convs inside int32 at full size).
        var geo = new ConvGeometry(2, 8, 6, 5, 12, 3, 3, 1, 1, 1, 1, 4);
        B.ConvChunkElements = 2 * 3 * 3 * 6 * 5;
        try
        {
            Assert.That(ConvGroupChunks.Plan(geo, B.ConvChunkElements), Has.Count.EqualTo(4));
            B.GemmKernel = GemmKernelKind.Naive;   // the chunking is kernel-independent; Naive is fast on the CPU accelerator
            CheckConv(geo, GemmKernelKind.Naive);
        }
        finally { B.ConvChunkElements = DeviceLimits.MaxLinearCount; }
    }

    [Test]
    public void Elementwise_NanInfAndSquare_MatchManagedCpu()
    {
        float nan = float.NaN;
        float[] xs = [nan, 1f, -2f, 0f, 50f, -50f, 100f, -1e30f, 3.1f, -0f];
        float[] ys = [1f, nan, -3f, -0f, 49f, nan, 1e30f, 2f, 3.1f, 0f];
        var cpu = CpuBackend.Instance;
        foreach (var op in new[] { BinaryOp.Maximum, BinaryOp.Minimum })
            Dev.Close(Binary(cpu, op, xs, ys), Binary(B, op, xs, ys), 0, 0, $"{op} with NaN");
        foreach (var (op, a, b) in new[] { (UnaryOp.Tanh, 0f, 0f), (UnaryOp.Clamp, -1f, 1f), (UnaryOp.PowScalar, 2f, 0f), (UnaryOp.Sigmoid, 0f, 0f) })
        {
            var want = Unary(cpu, op, xs, a, b);
            Dev.Close(want, Unary(B, op, xs, a, b), 1e-6, 0, $"{op}({a}, {b})");
        }
        Assert.That(Unary(B, UnaryOp.Tanh, [50f, -50f, 100f], 0, 0), Is.EqualTo(new[] { 1f, -1f, 1f }), "tanh saturates without NaN");
        Assert.That(Unary(B, UnaryOp.PowScalar, [3.1f, -1e-3f], 2f, 0), Is.EqualTo(new[] { 3.1f * 3.1f, 1e-3f * 1e-3f }), "x² is x·x exactly");
        var x = B.Up([1f, nan, 3f, 2f, 5f, 4f]); var y = B.Allocate(2);
        foreach (var kind in new[] { ReduceKernelKind.RowLoop, ReduceKernelKind.Tree })
        {
            B.ReduceKernel = kind;
            B.ReduceLastAxis(ReduceOp.Max, x, 0, 2, 3, y);
            var r = B.Down(y, 2);
            Assert.That(float.IsNaN(r[0]) && r[1] == 5f, $"{kind} max propagates NaN: [{r[0]}, {r[1]}]");
        }
        Release(x, y);
    }

    [Test]
    public void IndexAdd_Deterministic_IsBitIdenticalToTheReference()
    {
        int outer = 3, axis = 5, inner = 7;
        int[] idx = [4, 0, 4, 4, 2, 0, 1, 4, 3];
        var hgy = Dev.Rand(outer * idx.Length * inner, 21, -1e3f, 1e3f);
        var hgx = Dev.Rand(outer * axis * inner, 22);
        var want = (float[])hgx.Clone();
        IndexReference.Add(hgy, outer, axis, inner, idx, want);
        bool before = B.DeterministicIndexAdd;
        B.DeterministicIndexAdd = true;
        try
        {
            var gy = B.Up(hgy); var ids = B.UpInts(idx); var gx = B.Up(hgx);
            B.IndexAdd(gy, outer, axis, inner, ids, idx.Length, gx);
            Assert.That(B.Down(gx, hgx.Length), Is.EqualTo(want), "same additions in the same order");
            Release(gy, ids, gx);
        }
        finally { B.DeterministicIndexAdd = before; }
    }

    [Test]
    public void Upload_DoesNotDrainTheQueue()
    {
        var data = Dev.Rand(1000, 31);
        var s = B.Allocate(1000);
        B.Synchronize();
        long drains = B.Drains;
        for (int i = 0; i < 10; i++) B.Upload(data.AsSpan(i * 100, 100), s, i * 100);
        Assert.That(B.Drains, Is.EqualTo(drains), "uploads queued behind the work, no wait");
        Assert.That(B.Down(s, 1000), Is.EqualTo(data));
        Assert.That(B.Drains, Is.EqualTo(drains + 1), "the download drains once");
        s.Release();
    }

    static float[] Binary(IBackend be, BinaryOp op, float[] a, float[] b)
    {
        var sa = be.Up(a); var sb = be.Up(b); var y = be.Allocate(a.Length);
        be.Binary(op, sa, KernelView.Dense(a.Length), sb, KernelView.Dense(b.Length), y, a.Length);
        var r = be.Down(y, a.Length);
        Release(sa, sb, y);
        return r;
    }

    static float[] Unary(IBackend be, UnaryOp op, float[] x, float a, float b)
    {
        var sx = be.Up(x); var y = be.Allocate(x.Length);
        be.Unary(op, sx, 0, y, 0, x.Length, a, b);
        var r = be.Down(y, x.Length);
        Release(sx, y);
        return r;
    }
}
