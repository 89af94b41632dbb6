// Small random-weight generators for the personalization tests (tiny EG3D config, optionally coarse-only
// so that no sample position depends on the weights, which finite differences need).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models;
using My3DGen.Models.Eg3d;

namespace My3DGen.Personalization.Tests;

internal static class TinyGenerators
{
    public static Eg3dConfig CoarseOnly => Eg3dConfig.Tiny with { Rendering = Eg3dConfig.Tiny.Rendering with { DepthResolutionImportance = 0 } };

    public static Eg3dGenerator Create(int seed, bool coarseOnly = false) =>
        Eg3dGenerator.CreateRandom(coarseOnly ? CoarseOnly : Eg3dConfig.Tiny, seed, CpuBackend.Instance);
}
