// The per-point body of the fused tri-plane decode, written once over IFloatBuffer so the ILGPU kernels and the
// managed CPU backend run the same arithmetic: EG3D's projection (planes xy, xz and the "zx" quirk), bilinear
// grid_sample(align_corners=False, zeros), mean over planes, FC 32→64, softplus, FC 64→33, σ raw, rgb = sigmoid·1.002−0.001.
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Generic per-point forward/backward of the fused decode; reference: <see cref="TriplaneReference"/>.</summary>
internal static class TriplaneCore
{
    /// <summary>World position of point <paramref name="q"/> = origin + t·direction of its ray; returns its batch item.</summary>
    public static int Position<TB>(TB rays, TB depths, in TriplaneParams p, int q, out float x, out float y, out float z)
        where TB : struct, IFloatBuffer
    {
        int ray = q / p.Samples;
        float t = depths[q];
        int o = ray * 6;
        x = rays[o] + t * rays[o + 3];
        y = rays[o + 1] + t * rays[o + 4];
        z = rays[o + 2] + t * rays[o + 5];
        return ray / p.RaysPerBatch;
    }

    /// <summary>Plane coordinates (u, v) of a scaled point on plane <paramref name="plane"/> (EG3D order: xy, xz, zx).</summary>
    public static void Project(int plane, float qx, float qy, float qz, out float u, out float v)
    {
        if (plane == 0) { u = qx; v = qy; }
        else if (plane == 1) { u = qx; v = qz; }
        else { u = qz; v = qx; }
    }

    /// <summary>grid_sample(align_corners=False) pixel position of (u, v); false when no tap can be inside.</summary>
    public static bool Locate(float u, float v, int w, int h, out int x0, out int y0, out float fx, out float fy)
    {
        float ix = ((u + 1f) * w - 1f) / 2f, iy = ((v + 1f) * h - 1f) / 2f;
        x0 = 0; y0 = 0; fx = 0f; fy = 0f;
        if (!(ix > -1f && ix < w && iy > -1f && iy < h)) return false;   // also rejects NaN
        float flx = XMath.Floor(ix), fly = XMath.Floor(iy);
        x0 = (int)flx; y0 = (int)fly;
        fx = ix - flx; fy = iy - fly;
        return true;
    }

    /// <summary>Weight and texel index of tap <paramref name="tap"/> (0: x0,y0; 1: x0+1,y0; 2: x0,y0+1; 3: x0+1,y0+1); −1 when outside.</summary>
    public static int Tap(int tap, int x0, int y0, float fx, float fy, int w, int h, out float weight)
    {
        int dx = tap & 1, dy = tap >> 1;
        int x = x0 + dx, y = y0 + dy;
        weight = (dx == 1 ? fx : 1f - fx) * (dy == 1 ? fy : 1f - fy);
        return x >= 0 && x < w && y >= 0 && y < h ? y * w + x : -1;
    }

    /// <summary>The one walk over a point's bilinear taps (EG3D's three planes, four corners each, zero padding): calls
    /// <paramref name="visitor"/> for every tap inside its plane with the plane's index b·3 + plane, the tap's row y, the
    /// element offset of the texel's channel 0 in the channel-last planes and the bilinear weight. Returns the batch item.</summary>
    public static int Taps<TB, TV>(TB rays, TB depths, in TriplaneParams p, int q, TV visitor)
        where TB : struct, IFloatBuffer where TV : struct, ITapVisitor
    {
        int b = Position(rays, depths, p, q, out float px, out float py, out float pz);
        float qx = p.Scale * px, qy = p.Scale * py, qz = p.Scale * pz;
        for (int plane = 0; plane < 3; plane++)
        {
            Project(plane, qx, qy, qz, out float u, out float v);
            if (!Locate(u, v, p.Width, p.Height, out int x0, out int y0, out float fx, out float fy)) continue;
            int planeIndex = b * 3 + plane, planeBase = planeIndex * p.PlaneSize;
            for (int tap = 0; tap < 4; tap++)
            {
                int texel = Tap(tap, x0, y0, fx, fy, p.Width, p.Height, out float wt);
                if (texel >= 0) visitor.Visit(planeIndex, y0 + (tap >> 1), planeBase + texel * TriplaneLayout.Channels, wt);
            }
        }
        return b;
    }

    /// <summary>s[so..so+32) = mean over the three planes of the bilinear features at point <paramref name="q"/>.</summary>
    public static void Features<TB, TS>(TB planes, TB rays, TB depths, in TriplaneParams p, int q, TS s, int so)
        where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
    {
        const int C = TriplaneLayout.Channels;
        for (int c = 0; c < C; c++) s[so + c] = 0f;
        Taps(rays, depths, p, q, new GatherTaps<TB, TS>(planes, s, so));
        for (int c = 0; c < C; c++) s[so + c] = s[so + c] / 3f;
    }

    /// <summary>torch Softplus(β = 1, threshold = 20).</summary>
    public static float Softplus(float a) => a > 20f ? a : XMath.Log(1f + XMath.Exp(a));

    /// <summary>Derivative of <see cref="Softplus"/>.</summary>
    public static float SoftplusGrad(float a) => a > 20f ? 1f : 1f / (1f + XMath.Exp(-a));

    /// <summary>Logistic sigmoid.</summary>
    public static float Sigmoid(float x) => 1f / (1f + XMath.Exp(-x));

    /// <summary>Hidden layer: s[ho + j] = softplus(b1_j + Σ_i W1[j,i]·s[fo + i]); pre-activations to s[ao + j] when ao ≥ 0.</summary>
    public static void Hidden<TB, TS>(TB dec, TS s, int fo, int ho, int ao) where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
    {
        for (int j = 0; j < TriplaneLayout.Hidden; j++)
        {
            float a = dec[TriplaneLayout.B1 + j];
            int wr = TriplaneLayout.W1 + j * TriplaneLayout.Channels;
            for (int i = 0; i < TriplaneLayout.Channels; i++) a += dec[wr + i] * s[fo + i];
            if (ao >= 0) s[ao + j] = a;
            s[ho + j] = Softplus(a);
        }
    }

    /// <summary>Raw output k of the decoder: b2_k + Σ_j W2[k,j]·s[ho + j].</summary>
    public static float Output<TB, TS>(TB dec, TS s, int ho, int k) where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
    {
        float o = dec[TriplaneLayout.B2 + k];
        int wr = TriplaneLayout.W2 + k * TriplaneLayout.Hidden;
        for (int j = 0; j < TriplaneLayout.Hidden; j++) o += dec[wr + j] * s[ho + j];
        return o;
    }

    /// <summary>Colour activation of EG3D's OSGDecoder: sigmoid(x)·(1 + 2·0.001) − 0.001.</summary>
    public static float Rgb(float x) => (1f + 2f * 0.001f) * Sigmoid(x) - 0.001f;

    /// <summary>Forward of point <paramref name="q"/>: output[q·33 + 0] = σ, output[q·33 + 1..32] = colour features.
    /// <paramref name="s"/> holds <see cref="TriplaneLayout.ForwardScratch"/> floats from <paramref name="so"/>.</summary>
    public static void Forward<TB, TS>(TB planes, TB dec, TB rays, TB depths, TB output, TS s, int so, in TriplaneParams p, int q)
        where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
    {
        Features(planes, rays, depths, p, q, s, so);
        int ho = so + TriplaneLayout.Channels;
        Hidden(dec, s, so, ho, -1);
        int at = q * TriplaneLayout.Outputs;
        output[at] = Output(dec, s, ho, 0);
        for (int k = 1; k < TriplaneLayout.Outputs; k++) output[at + k] = Rgb(Output(dec, s, ho, k));
    }

    /// <summary>Backward of point <paramref name="q"/> given the output gradient: fills the row of <paramref name="rows"/> at
    /// <paramref name="ro"/> (see <see cref="TriplaneLayout"/>) and returns max |gf| of the row.</summary>
    public static float Backward<TB, TS>(TB planes, TB dec, TB rays, TB depths, TB gOut, TS rows, int ro, in TriplaneParams p, int q)
        where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
    {
        const int C = TriplaneLayout.Channels, Hd = TriplaneLayout.Hidden, O = TriplaneLayout.Outputs;
        int f = ro + TriplaneLayout.RowF, h = ro + TriplaneLayout.RowH, ga = ro + TriplaneLayout.RowGa;
        int go = ro + TriplaneLayout.RowGo, gf = ro + TriplaneLayout.RowGf;
        Features(planes, rays, depths, p, q, rows, f);
        Hidden(dec, rows, f, h, ga);                  // ga holds the pre-activations for now
        int at = q * O;
        rows[go] = gOut[at];
        for (int k = 1; k < O; k++)
        {
            float sg = Sigmoid(Output(dec, rows, h, k));
            rows[go + k] = gOut[at + k] * (1f + 2f * 0.001f) * sg * (1f - sg);
        }
        for (int j = 0; j < Hd; j++)
        {
            float gh = 0f;
            for (int k = 0; k < O; k++) gh += dec[TriplaneLayout.W2 + k * Hd + j] * rows[go + k];
            rows[ga + j] = gh * SoftplusGrad(rows[ga + j]);
        }
        float max = 0f;
        for (int i = 0; i < C; i++)
        {
            float g = 0f;
            for (int j = 0; j < Hd; j++) g += dec[TriplaneLayout.W1 + j * C + i] * rows[ga + j];
            g /= 3f;
            rows[gf + i] = g;
            max = XMath.Max(max, XMath.Abs(g));
        }
        return max;
    }
}

/// <summary>Receives the taps of <see cref="TriplaneCore.Taps"/> (a struct, so the call is specialised and inlined).</summary>
internal interface ITapVisitor
{
    /// <summary>One tap: plane index b·3 + plane, texel row <paramref name="row"/>, element offset <paramref name="at"/> of the
    /// texel's channel 0 in the channel-last planes, bilinear weight <paramref name="weight"/>.</summary>
    void Visit(int planeIndex, int row, int at, float weight);
}

/// <summary>s[so + c] += weight · planes[at + c] for the 32 channels of every tap.</summary>
internal struct GatherTaps<TB, TS>(TB planes, TS s, int so) : ITapVisitor where TB : struct, IFloatBuffer where TS : struct, IFloatBuffer
{
    /// <inheritdoc/>
    public void Visit(int planeIndex, int row, int at, float weight)
    {
        for (int c = 0; c < TriplaneLayout.Channels; c++) s[so + c] += weight * planes[at + c];
    }
}
