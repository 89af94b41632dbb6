// A content hash of a generator's base tensors (names and float32 values), stored in adapter files so an
// adapter is never applied silently to a different base model.
using System.Security.Cryptography;
using System.Text;
using My3DGen.Models;

namespace My3DGen.Personalization.Training;

public static class ModelHash
{
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
