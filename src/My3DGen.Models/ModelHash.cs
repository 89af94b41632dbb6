// A content hash of a generator's base tensors (names and float32 values), stored in adapter files and checkpoints
// so an adapter is never applied silently to a different base model.
using System.Security.Cryptography;
using System.Text;

namespace My3DGen.Models;

/// <summary>Content hash of a generator's weights.</summary>
public static class ModelHash
{
    /// <summary>The first 16 hex digits of SHA-256 over every tensor's name and float32 values, in state-dict order.
    /// Hash the base model: with a LoRA set attached, trained base tensors (biases, decoder) may have changed.</summary>
    public static string Compute(Eg3dGenerator generator)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, t) in generator.Tensors)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.ToArray().AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
