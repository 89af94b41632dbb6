// numpy.random.RandomState's legacy generator (MT19937 seeded with init_genrand, 53-bit doubles, polar-method gauss),
// so `--seeds N` draws exactly the z that EG3D's scripts draw with np.random.RandomState(N).randn(1, 512).
namespace My3DGen.Models.Latents;

/// <summary>Bit-compatible subset of numpy.random.RandomState: construction from a 32-bit seed, random_sample and randn.</summary>
public sealed class NumpyRandomState
{
    const int N = 624, M = 397;
    readonly uint[] _mt = new uint[N];
    int _mti;
    bool _hasGauss;
    double _gauss;

    /// <summary>The state numpy.random.RandomState(<paramref name="seed"/>) starts in.</summary>
    public NumpyRandomState(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _mti = N;
    }

    uint NextUInt32()
    {
        if (_mti >= N)
        {
            for (int k = 0; k < N; k++)
            {
                uint y = (_mt[k] & 0x80000000u) | (_mt[(k + 1) % N] & 0x7fffffffu);
                _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
            }
            _mti = 0;
        }
        uint v = _mt[_mti++];
        v ^= v >> 11;
        v ^= (v << 7) & 0x9d2c5680u;
        v ^= (v << 15) & 0xefc60000u;
        v ^= v >> 18;
        return v;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits (random_sample).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>Standard normal (legacy polar method, values produced in pairs).</summary>
    public double NextGaussian()
    {
        if (_hasGauss) { _hasGauss = false; return _gauss; }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>randn(count) cast to float32, as EG3D does for z.</summary>
    public float[] Randn(int count)
    {
        var r = new float[count];
        for (int i = 0; i < count; i++) r[i] = (float)NextGaussian();
        return r;
    }
}
