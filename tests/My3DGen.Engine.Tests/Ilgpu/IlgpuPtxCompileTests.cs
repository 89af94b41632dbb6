// Compiles every kernel to PTX with ILGPU's PTX backend (no GPU or driver needed), so CUDA-only
// codegen problems — unsupported intrinsics, shared/local memory misuse — show up on CPU-only machines.
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

[TestFixture]
public sealed class IlgpuPtxCompileTests
{
    Context _context = null!;
    PTXBackend _backend = null!;

    [OneTimeSetUp]
    public void CreateBackend()
    {
        _context = Context.Create(b => b.CPU().EnableAlgorithms());
        var arch = CudaArchitecture.SM_75;
        _backend = new PTXBackend(_context, new CudaCapabilityContext(arch), arch, CudaInstructionSet.ISA_70, null);
    }

    [OneTimeTearDown]
    public void DisposeBackend()
    {
        _backend?.Dispose();
        _context?.Dispose();
    }

    /// <summary>Every kernel; a kernel generic over an operator struct is instantiated with every struct
    /// implementing its constraint (so each operator's formula is compiled for the device).</summary>
    static IEnumerable<MethodInfo> KernelMethods() =>
        typeof(GemmKernels).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Kernels", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.ReturnType == typeof(void))
            .SelectMany(Instantiations);

    static IEnumerable<MethodInfo> Instantiations(MethodInfo m)
    {
        if (!m.IsGenericMethodDefinition) return [m];
        var constraint = m.GetGenericArguments().Single().GetGenericParameterConstraints().Single(c => c.IsInterface);
        return typeof(GemmKernels).Assembly.GetTypes()
            .Where(t => t.IsValueType && constraint.IsAssignableFrom(t))
            .Select(t => m.MakeGenericMethod(t));
    }

    [Test]
    public void EveryKernel_CompilesToPtx()
    {
        var methods = KernelMethods().ToList();
        Assert.That(methods, Has.Count.GreaterThanOrEqualTo(21));
        foreach (var m in methods)
        {
            var ptx = Compile(m);
            Assert.That(ptx, Does.Contain(".entry"), $"{m.DeclaringType!.Name}.{m}");
        }
    }

    [Test]
    public void Blocked64Gemm_KeepsAccumulatorsInRegisters()
    {
        var ptx = Compile(typeof(GemmKernels).GetMethod(nameof(GemmKernels.Blocked64))!);
        Assert.That(ptx, Does.Contain(".shared"));
        Assert.That(ptx, Does.Not.Contain(".local"), "the 4×4 accumulator tile spilled to local memory");
    }

    [TestCase(nameof(ModConvKernels.Forward))]
    [TestCase(nameof(ModConvKernels.BackwardData))]
    [TestCase(nameof(ModConvKernels.WeightGrad))]
    public void ModConvImplicitGemm_KeepsTilesInRegistersAndSharedMemory(string kernel)
    {
        var ptx = Compile(typeof(ModConvKernels).GetMethod(kernel)!);
        Assert.That(ptx, Does.Contain(".shared"));
        Assert.That(ptx, Does.Not.Contain(".local"), "the 4×4 accumulator tile or an operand gather spilled to local memory");
    }

    string Compile(MethodInfo m)
    {
        var kernel = _backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(m), default);
        return ((PTXCompiledKernel)kernel).PTXAssembly;
    }
}
