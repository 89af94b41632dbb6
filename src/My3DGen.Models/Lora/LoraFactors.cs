// The two trainable factors of one LoRA adapter, A [rows, fanIn] and B [out, rows], with My3DGen's
// initialisation: A ~ U(−1/√fanIn, 1/√fanIn) (kaiming_uniform with a = √5), B = 0.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Lora;

/// <summary>Factors of one adapter; <see cref="Name"/> is the base layer's state-dict prefix.</summary>
public sealed class LoraFactors
{
    /// <summary>State-dict prefix of the adapted layer (e.g. backbone.synthesis.b64.conv0).</summary>
    public string Name { get; }
    /// <summary>[rows, fanIn], initialised U(−1/√fanIn, 1/√fanIn); named Name + ".lora_A".</summary>
    public Tensor A { get; }
    /// <summary>[out, rows], initialised to zero; named Name + ".lora_B".</summary>
    public Tensor B { get; }
    /// <summary>Alpha / rank.</summary>
    public float Scaling { get; }

    /// <summary>Creates trainable factors on <paramref name="backend"/>, drawing A from <paramref name="rng"/>.</summary>
    public LoraFactors(string name, IBackend backend, int rows, int fanIn, int outFeatures, float scaling, Random rng)
    {
        Name = name; Scaling = scaling;
        float bound = 1f / MathF.Sqrt(fanIn);
        A = Tensor.Uniform(backend, rng, [rows, fanIn], -bound, bound);
        B = Tensor.Zeros(backend, outFeatures, rows);
        A.Name = name + ".lora_A"; B.Name = name + ".lora_B";
        A.RequiresGrad = true; B.RequiresGrad = true;
    }

    /// <summary>Scaling · B·A, shape [out, fanIn].</summary>
    public Tensor Product() => B.MatMul(A) * Scaling;

    /// <summary>Number of values in A and B.</summary>
    public int Count => (int)(A.Numel + B.Numel);
}
