// ILGPU GEMM kernels: a naive one-thread-per-output kernel (the fast choice on the CPU accelerator,
// where barriers are simulated with OS threads), a 16×16 shared-memory tiled kernel and a 64×64
// register-blocked kernel (16×16 threads, 4×4 outputs each) for CUDA/OpenCL. All handle edge tiles.
using ILGPU;

namespace My3DGen.Kernels;

/// <summary>GEMM kernels over <see cref="GemmParams"/>; reference: <see cref="GemmReference"/>.</summary>
internal static class GemmKernels
{
    /// <summary>Tile edge of <see cref="Tiled16"/> (group = Tile×Tile threads).</summary>
    public const int Tile = 16;
    /// <summary>Output block edge of <see cref="Blocked64"/> (group = 16×16 threads, 4×4 outputs each).</summary>
    public const int Block = 64;
    /// <summary>K-depth of one shared-memory stage of <see cref="Blocked64"/>.</summary>
    public const int BlockK = 16;
    const int PerThread = Block / Tile;   // 4: must match Accumulator4x4

    /// <summary>One thread per C element; grid-stride over Batch·M·N.</summary>
    public static void Naive(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        int mn = p.M * p.N, total = mn * p.Batch;
        for (int t = GridStride.Start; t < total; t += GridStride.Step)
        {
            int bi = t / mn, r = t - bi * mn, m = r / p.N, n = r - m * p.N;
            float acc = 0f;
            for (int k = 0; k < p.K; k++) acc += a[p.IndexA(bi, m, k)] * b[p.IndexB(bi, k, n)];
            int ci = p.IndexC(bi, m, n);
            c[ci] = p.Finish(acc, p.Beta == 0f ? 0f : c[ci]);
        }
    }

    /// <summary>Grid (⌈N/16⌉, ⌈M/16⌉, batch), group (16, 16): one output per thread, A and B staged in 16×16 tiles.</summary>
    public static void Tiled16(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        var sa = SharedMemory.Allocate<float>(Tile * Tile);
        var sb = SharedMemory.Allocate<float>(Tile * Tile);
        int tx = Group.IdxX, ty = Group.IdxY, bi = Grid.IdxZ;
        int row = Grid.IdxY * Tile + ty, col = Grid.IdxX * Tile + tx;
        float acc = 0f;
        for (int k0 = 0; k0 < p.K; k0 += Tile)
        {
            int ka = k0 + tx, kb = k0 + ty;
            sa[ty * Tile + tx] = row < p.M && ka < p.K ? a[p.IndexA(bi, row, ka)] : 0f;
            sb[ty * Tile + tx] = kb < p.K && col < p.N ? b[p.IndexB(bi, kb, col)] : 0f;
            Group.Barrier();
            for (int kk = 0; kk < Tile; kk++) acc += sa[ty * Tile + kk] * sb[kk * Tile + tx];
            Group.Barrier();
        }
        if (row < p.M && col < p.N)
        {
            int ci = p.IndexC(bi, row, col);
            c[ci] = p.Finish(acc, p.Beta == 0f ? 0f : c[ci]);
        }
    }

    /// <summary>Grid (⌈N/64⌉, ⌈M/64⌉, batch), group (16, 16): each thread owns outputs
    /// (by + ty + 16i, bx + tx + 16j), i, j in [0, 4); A and B staged 64×16 / 16×64 in shared memory.</summary>
    public static void Blocked64(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        var sa = SharedMemory.Allocate<float>(Block * BlockK);   // [m][k]
        var sb = SharedMemory.Allocate<float>(BlockK * Block);   // [k][n]
        var acc = new Accumulator4x4();
        int tx = Group.IdxX, ty = Group.IdxY, bi = Grid.IdxZ;
        int tid = ty * Tile + tx;
        int row0 = Grid.IdxY * Block, col0 = Grid.IdxX * Block;
        for (int k0 = 0; k0 < p.K; k0 += BlockK)
        {
            // 256 threads load 1024 elements of each tile, 4 apiece.
            for (int l = 0; l < PerThread; l++)
            {
                int e = tid + l * Tile * Tile;
                int am = e / BlockK, ak = e - am * BlockK;           // A tile element (am, ak)
                int gm = row0 + am, gk = k0 + ak;
                sa[e] = gm < p.M && gk < p.K ? a[p.IndexA(bi, gm, gk)] : 0f;
                int bk = e / Block, bn = e - bk * Block;             // B tile element (bk, bn)
                int hk = k0 + bk, hn = col0 + bn;
                sb[e] = hk < p.K && hn < p.N ? b[p.IndexB(bi, hk, hn)] : 0f;
            }
            Group.Barrier();
            for (int kk = 0; kk < BlockK; kk++)
            {
                int ar = ty * BlockK + kk, br = kk * Block + tx;
                acc.Fma(sa[ar], sa[ar + Tile * BlockK], sa[ar + 2 * Tile * BlockK], sa[ar + 3 * Tile * BlockK],
                        sb[br], sb[br + Tile], sb[br + 2 * Tile], sb[br + 3 * Tile]);
            }
            Group.Barrier();
        }
        for (int i = 0; i < PerThread; i++)
        {
            int m = row0 + ty + Tile * i;
            if (m >= p.M) continue;
            for (int j = 0; j < PerThread; j++)
            {
                int n = col0 + tx + Tile * j;
                if (n >= p.N) continue;
                int ci = p.IndexC(bi, m, n);
                c[ci] = p.Finish(acc.At(i, j), p.Beta == 0f ? 0f : c[ci]);
            }
        }
    }
}
