// One training example of a person: the aligned photo (CHW, values in [-1, 1]), its 25-float EG3D camera
// label and its latent anchor ws [14·512] (W repeated or W+).
namespace My3DGen.Personalization.Data;

public sealed record PersonSample(string Name, float[] Image, int Resolution, float[] Camera, float[] Latent);
