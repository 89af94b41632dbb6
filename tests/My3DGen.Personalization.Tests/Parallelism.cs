// Test fixtures run in parallel (two at a time on the 2-core CI): no test changes process-wide state (the fused LoRA
// path is a setting of each adapter set; gradient mode and tensor scopes are per thread).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
