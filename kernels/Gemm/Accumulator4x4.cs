// A 4×4 register tile of accumulators for the register-blocked GEMM. Explicit fields (not an array)
// keep it in registers on GPUs: an indexed local array would be placed in (slow) local memory.
namespace My3DGen.Kernels;

/// <summary>16 float accumulators c[i][j], i, j in [0, 4).</summary>
internal struct Accumulator4x4
{
    public float C00, C01, C02, C03, C10, C11, C12, C13, C20, C21, C22, C23, C30, C31, C32, C33;

    /// <summary>c[i][j] += a[i]·b[j] (rank-1 update).</summary>
    public void Fma(float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3)
    {
        C00 += a0 * b0; C01 += a0 * b1; C02 += a0 * b2; C03 += a0 * b3;
        C10 += a1 * b0; C11 += a1 * b1; C12 += a1 * b2; C13 += a1 * b3;
        C20 += a2 * b0; C21 += a2 * b1; C22 += a2 * b2; C23 += a2 * b3;
        C30 += a3 * b0; C31 += a3 * b1; C32 += a3 * b2; C33 += a3 * b3;
    }

    /// <summary>c[i][j].</summary>
    public readonly float At(int i, int j)
    {
        int k = i * 4 + j;
        switch (k)
        {
            case 0: return C00; case 1: return C01; case 2: return C02; case 3: return C03;
            case 4: return C10; case 5: return C11; case 6: return C12; case 7: return C13;
            case 8: return C20; case 9: return C21; case 10: return C22; case 11: return C23;
            case 12: return C30; case 13: return C31; case 14: return C32; default: return C33;
        }
    }
}
