// Test fixtures run in parallel, two at a time on the 2-core CI (no test changes process-wide state).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
