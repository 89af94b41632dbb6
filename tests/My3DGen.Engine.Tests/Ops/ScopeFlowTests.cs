// The thread-safety contract of GradMode and TensorScope: both follow the async flow, so they hold across an
// await (even when the method resumes on another thread), flow into tasks started inside them, never leak
// out of those tasks, and end when disposed from any thread.
using System.Runtime.CompilerServices;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;

namespace My3DGen.Engine.Tests.Ops;

public class ScopeFlowTests
{
    static readonly CpuBackend Cpu = CpuBackend.Instance;

    static Tensor Leaf(bool requiresGrad = false)
    {
        var t = Tensor.FromArray(Cpu, [2f], 1);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>An awaitable that always suspends and resumes on a fresh thread: the code after the await is
    /// guaranteed to run on a different thread than the code before it.</summary>
    readonly struct ResumeOnNewThread : ICriticalNotifyCompletion
    {
        public ResumeOnNewThread GetAwaiter() => this;
        public bool IsCompleted => false;
        public void GetResult() { }
        public void OnCompleted(Action continuation) => new Thread(() => continuation()).Start();
        public void UnsafeOnCompleted(Action continuation) => new Thread(() => continuation()).UnsafeStart();
    }

    [Test]
    public async Task NoGradSpansAwaitTaskYield()
    {
        var x = Leaf(requiresGrad: true);
        using (GradMode.NoGrad())
        {
            await Task.Yield();
            Assert.That(GradMode.IsEnabled, Is.False, "NoGrad must still hold after the await");
            Assert.That((x * x).GradFn, Is.Null, "an op after the await must record nothing");
        }
        Assert.That(GradMode.IsEnabled, Is.True);
        Assert.That((x * x).GradFn, Is.Not.Null);
    }

    [Test]
    public async Task NoGradSpansAwaitThatResumesOnAnotherThread()
    {
        int before = Environment.CurrentManagedThreadId;
        using (GradMode.NoGrad())
        {
            await new ResumeOnNewThread();
            Assert.That(Environment.CurrentManagedThreadId, Is.Not.EqualTo(before), "the test must resume on another thread");
            Assert.That(GradMode.IsEnabled, Is.False);
        }
        Assert.That(GradMode.IsEnabled, Is.True);
    }

    [Test]
    public async Task NoGradFlowsIntoTasksButNotBackOutOfThem()
    {
        using (GradMode.NoGrad())
            Assert.That(await Task.Run(() => GradMode.IsEnabled), Is.False, "a task started inside NoGrad inherits it");

        await Task.Run(() => { GradMode.NoGrad(); });   // opened and never disposed inside the task
        Assert.That(GradMode.IsEnabled, Is.True, "a scope opened inside a task must not leak to its starter");
    }

    [Test]
    public void NoGradDoesNotAffectAnUnrelatedThread()
    {
        using var opened = new ManualResetEventSlim();
        bool? seen = null;
        var other = new Thread(() => { opened.Wait(); seen = GradMode.IsEnabled; });
        other.Start();   // started before the scope: it does not inherit it
        using (GradMode.NoGrad())
        {
            opened.Set();
            other.Join();
        }
        Assert.That(seen, Is.True);
    }

    [Test]
    public async Task NoGradDisposedOnAnotherThreadEndsIt()
    {
        var scope = GradMode.NoGrad();
        Assert.That(GradMode.IsEnabled, Is.False);
        await Task.Run(scope.Dispose);
        Assert.That(GradMode.IsEnabled, Is.True, "a disposed scope no longer disables recording, whoever disposed it");
        scope.Dispose();   // a second dispose is harmless
        Assert.That(GradMode.IsEnabled, Is.True);
    }

    [Test]
    public async Task TensorScopeCollectsTensorsCreatedAfterAnAwait()
    {
        Tensor before, afterYield, afterSwitch;
        using (TensorScope.Begin())
        {
            before = Leaf();
            await Task.Yield();
            afterYield = Leaf();
            await new ResumeOnNewThread();
            afterSwitch = Leaf();
        }
        Assert.That(new[] { before.IsDisposed, afterYield.IsDisposed, afterSwitch.IsDisposed }, Is.All.True);
    }

    [Test]
    public void TensorScopeCollectsTensorsCreatedByConcurrentTasks()
    {
        const int tasks = 4, each = 500;
        var made = new Tensor[tasks * each];
        using (TensorScope.Begin())
        {
            // Task.Run work runs on pool threads (waiting on WhenAll never inlines it), several at once.
            Task.WhenAll(Enumerable.Range(0, tasks).Select(k => Task.Run(() =>
            {
                for (int i = 0; i < each; i++) made[k * each + i] = Leaf();
            }))).Wait();
        }
        Assert.That(made.Count(t => !t.IsDisposed), Is.Zero, "tensors made by tasks started in the scope belong to it");
    }

    [Test]
    public async Task TensorScopeDisposedOnAnotherThreadReleasesItsTensorsAndHandsOverToItsParent()
    {
        Tensor inner, after;
        using (TensorScope.Begin())
        {
            var scope = TensorScope.Begin();
            inner = Leaf();
            var kept = scope.Keep(Leaf());
            await Task.Run(scope.Dispose);
            Assert.That(inner.IsDisposed, Is.True, "disposing from another thread releases the scope's tensors");
            Assert.That(kept.IsDisposed, Is.False, "a kept tensor moved to the parent");
            after = Leaf();   // this flow's innermost scope is the disposed one: the parent collects it
            Assert.That(after.IsDisposed, Is.False);
            scope.Dispose();  // a second dispose is harmless
            Assert.That(after.IsDisposed, Is.False);
        }
        Assert.That(after.IsDisposed, Is.True, "the parent scope collected the tensor created after the inner scope ended");
    }

    [Test]
    public void TensorScopeOpenedInsideATaskDoesNotCollectTheStartersTensors()
    {
        TensorScope? leaked = null;
        Task.Run(() => { leaked = TensorScope.Begin(); }).Wait();   // opened and never disposed inside the task
        var mine = Leaf();
        leaked!.Dispose();
        Assert.That(mine.IsDisposed, Is.False);
    }
}
