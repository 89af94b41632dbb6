// Building blocks of the kernel table: a case (one row: op, shape, backend, amount of work, a factory for the timed
// action) and the backend interface. A new backend (e.g. ILGPU) implements IBenchBackend and is added to
// KernelBench.Backends; it reuses the shapes in KernelShapes so its rows line up with the CPU ones.
namespace My3DGen.Bench.Kernels;

/// <summary>What a row's throughput is measured in.</summary>
public enum WorkUnit { Flops, Bytes }

/// <summary>
/// One table row. <paramref name="Prepare"/> allocates inputs and returns the action to time (which must include
/// any device synchronisation). <paramref name="Work"/> is flops or bytes moved per call of that action.
/// </summary>
public sealed record BenchCase(string Op, string Shape, string Backend, WorkUnit Unit, double Work,
    Func<Action> Prepare, double BudgetSeconds = 2, int MinRuns = 3, string? Note = null);

/// <summary>A source of rows for one backend.</summary>
public interface IBenchBackend
{
    string Name { get; }

    /// <summary>Rows this backend contributes; <paramref name="quick"/> asks for the small shapes only.</summary>
    IEnumerable<BenchCase> Cases(bool quick);
}

/// <summary>A measured row.</summary>
public sealed record BenchResult(string Op, string Shape, string Backend, double MedianMs, double MinMs, int Runs,
    string Unit, double Throughput, double BestThroughput, double PercentOfPeak, string? Note);
