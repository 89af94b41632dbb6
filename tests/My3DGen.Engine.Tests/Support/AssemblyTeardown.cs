// Assembly-wide teardown (a SetUpFixture outside any namespace): the shared ILGPU backends are used by
// tests in several namespaces, so they are disposed only after every test of the assembly has run.
using My3DGen.Engine.Tests.Ilgpu;

[SetUpFixture]
public sealed class AssemblyTeardown
{
    [OneTimeTearDown]
    public void DisposeSharedBackends() => IlgpuTestBackend.DisposeAll();
}
